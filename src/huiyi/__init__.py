"""Huiyi 会议 — meeting services under 《会议组织服务质量管理规范》."""

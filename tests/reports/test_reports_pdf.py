import io

from pypdf import PdfReader

from huiyi.reports.pdf import PdfDocument


def test_REQ_INT_07_pdf_carries_chinese_text_that_can_be_extracted():
    document = PdfDocument("会议需求清单", subtitle="Requirements list · HY-2026-101", footer="会议 Huiyi")
    document.heading("一、会议基本信息").key_values(
        [("会议名称", "浦江科技 2027 年度经销商大会"), ("人数", "420")]
    )
    document.heading("二、服务范围").table([["基础服务", "会场布置、签到接待"]], header=["层级", "内容"])
    document.paragraph("Budget: ¥1,050,000.00 <script>alert(1)</script>")
    data = document.render()
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for expected in ("会议需求清单", "一、会议基本信息", "浦江科技", "会场布置", "<script>"):
        assert expected in text

"""Document search benchmark (REQ-DOC-01): N documents with text, then typical queries timed per user.

    .venv/bin/python bench/bench_document_search.py [--documents 100000] [--rounds 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huiyi_bench_search .venv/bin/python \
        bench/bench_document_search.py          # create the database first; it is flushed and refilled

Documents are bulk-inserted with versions and index rows (the stored text of a version, ~1,000 characters of
Chinese and English meeting vocabulary); the PostgreSQL tsvectors are filled by the same statement the
indexing service uses. Each query is timed as the search page runs it: permission filter + match + count +
the first page of 20 with their snippets. Prints median and p95 server time per query and user.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src"), str(Path(__file__).resolve().parents[1])]

from bench.common import database_label, figure, measure, print_results, setup_django  # noqa: E402

ZH_WORDS = """
会议 议程 签到 茶歇 主旨演讲 分论坛 圆桌讨论 嘉宾 参会代表 会务组 报到 接送机 酒店
住宿 餐饮 自助午餐 同声传译 音响 灯光 无线话筒 投影仪 LED屏 舞台 背景板 指示牌
证件 胸卡 资料袋 会议手册 应急预案 安保 医疗 消防 疏散 通道 预算 合同 供应商 场地
布置 彩排 主持人 致辞 颁奖 合影 晚宴 满意度 调查 投诉 整改 纪要 决议 录音 录像
保密 协议 名单 联系方式 交通 大巴 车辆 调度 志愿者 培训 验收 结算 发票 归档
"""
ZH = ZH_WORDS.split()
EN_WORDS = """
meeting agenda keynote session panel speaker delegate registration badge shuttle hotel banquet
lunch coffee break interpreter audio lighting microphone projector stage backdrop signage emergency
security medical evacuation budget contract supplier venue rehearsal host award photo survey
complaint minutes resolution recording confidential attendee transport volunteer training
acceptance invoice archive
"""
EN = EN_WORDS.split()
TYPES = ["agenda", "minutes", "notice", "materials", "attendee_list", "contract", "other"]
CLASSES = ["general"] * 40 + ["medium"] * 30 + ["high"] * 25 + ["very_high"] * 5
QUERIES = [
    "会议",
    "茶歇",
    "无线话筒",
    "应急预案 疏散",
    "keynote",
    "shuttle hotel",
    "议程 agenda",
    "12345",
    "不存在的词",
]


def _text(rng: random.Random) -> str:
    words = []
    while sum(len(w) + 1 for w in words) < 1000:
        words.append(rng.choice(ZH) if rng.random() < 0.7 else rng.choice(EN))
        if rng.random() < 0.1:
            words.append("。")
    return "".join(w if w == "。" or ord(w[0]) > 127 else f" {w} " for w in words)


def generate(count: int, seed: int = 11) -> None:
    from django.db import connection, transaction

    from huiyi.accounts.models import User
    from huiyi.documents.models import Document, DocumentVersion
    from huiyi.documents.search import segment, services
    from huiyi.documents.search.models import DocumentText
    from huiyi.projects.models import MeetingProject

    rng = random.Random(seed)
    projects = list(MeetingProject.objects.values_list("pk", flat=True))
    author = User.objects.get(username="admin")
    batch = 2000
    started = time.perf_counter()
    for offset in range(0, count, batch):
        with transaction.atomic():
            n = min(batch, count - offset)
            documents = Document.objects.bulk_create(
                [
                    Document(
                        project_id=rng.choice(projects),
                        doc_type=rng.choice(TYPES),
                        title=f"{rng.choice(ZH)}{rng.choice(ZH)} {rng.choice(EN)} {offset + i}",
                        confidentiality=rng.choice(CLASSES),
                        retention_class="internal_management_document",
                        created_by=author,
                    )
                    for i in range(n)
                ]
            )
            versions = DocumentVersion.objects.bulk_create(
                [
                    DocumentVersion(
                        document=d,
                        number=1,
                        file=f"documents/bench-{d.pk}",
                        name=f"bench-{d.pk}.txt",
                        original_filename=f"bench-{d.pk}.txt",
                        sha256="0" * 64,
                        size=1000,
                        mime="text/plain",
                        encrypted=d.confidentiality == "very_high",
                        author=author,
                    )
                    for d in documents
                ]
            )
            for d, v in zip(documents, versions, strict=True):
                d.current_version = v
            Document.objects.bulk_update(documents, ["current_version"])
            rows = []
            for d, v in zip(documents, versions, strict=True):
                text = "" if d.confidentiality == "very_high" else _text(rng)
                rows.append(
                    DocumentText(
                        version=v,
                        document=d,
                        status="title_only" if not text else "indexed",
                        text=text,
                        title_tokens=segment.segment(d.title),
                        tokens=segment.segment(text),
                    )
                )
            DocumentText.objects.bulk_create(rows)
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    services._update_vectors(DocumentText.objects.all())
    vectors = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"inserted {count} documents with text in {inserted:.1f} s; vectors {vectors:.1f} s")


def _setup_existing() -> None:
    """Django on DATABASE_URL as it is (no flush): to time again after a change without regenerating."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiyi.settings")
    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--reuse", action="store_true", help="time the documents already in the database")
    args = parser.parse_args()
    if args.reuse:
        _setup_existing()
    else:
        setup_django()
    from django.contrib.auth import get_user_model

    from bench.generate import populate
    from huiyi.documents.search import queries
    from huiyi.documents.search.views import result_rows

    if args.reuse:
        from huiyi.documents.models import Document

        print(f"reusing {Document.objects.count()} documents")
    else:
        populate(projects=args.projects)
        generate(args.documents)
    print(f"database: {database_label()}, engine: {queries.engine()}")
    users = get_user_model().objects
    timings = []
    for username in ("admin", "han.mei", "qian.hao"):
        user = users.get(username=username)
        print(f"-- as {username}")
        for q in QUERIES:

            def run(user=user, q=q):
                paginator = queries.CappedPaginator(user, q, None, 20)
                page = paginator.get_page(1)
                result_rows(page.object_list, q, {})
                return f"{paginator.count}{'+' if paginator.capped else ''}"

            hits = run()
            median, p95 = measure(run, args.rounds)
            print(f"   {q:<16} hits {hits:>6}   median {median:8.1f} ms   p95 {p95:8.1f} ms")
            timings.append((median, p95, f"{q} as {username}"))
    slowest = max(timings)
    worst_p95 = max(timings, key=lambda t: t[1])
    label = f"document search ({database_label()}, {args.documents:,} documents)"
    print_results(
        "document_search",
        [
            figure(f"{label}: slowest median ({slowest[2]})", slowest[0], "ms", "< 300 ms", slowest[0] < 300),
            figure(f"{label}: highest p95 ({worst_p95[2]})", worst_p95[1], "ms"),
        ],
        engine=database_label(),
    )


if __name__ == "__main__":
    main()

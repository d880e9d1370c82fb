"""Benchmark of the precedent library (run by hand; not part of the test run).

    /work/venv/bin/python benchmarks/bench_library.py [--requests 100000] [--db PATH] [--keep]

1. Fills a fresh library with N generated requests (synthetic replies of ~125 requests each,
   written in our own generated wording, with answers), through the same Library.put path as
   `drafter library add`.
2. Times searches: a stored request's exact wording, a reworded version of one, short words
   (2 and 4-7 characters), and filtered by board; reports median / p95 / max in ms.
3. Times adding one 400-page reply into that full library (the real 002 reply of the shared
   corpus when present: 406 pages), through `add_file` (read + parse + split + match + store),
   as text and as a DOCX written from it; then searches the test suite's reworded requests of
   002/003 among the 100,000 generated ones (recall at scale).
4. Checks the file is a plain SQLite database (integrity_check, opened by the sqlite3 module).

Targets: search < 100 ms at 100,000 requests; adding a 400-page reply < 5 s.
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.library import Library, add_file  # noqa: E402
from drafter.library.models import QuestionRecord, ReplyRecord, RequestRecord  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"

# Generated wording (our own): subjects, aspects, openings and tails combined at random,
# plus random 2-4 character names so the vocabulary is not unrealistically small.
SUBJ = ("研发人员 研发费用 营业收入 应收账款 存货 毛利率 销售费用 管理费用 主要客户 前五大客户 主要供应商 外协厂商 "
        "募投项目 在建工程 固定资产 境外销售 经销商 关联交易 股份支付 实际控制人 对赌协议 核心技术 专利 产能利用率 "
        "原材料采购 单位成本 期后回款 坏账准备 跌价准备 票据贴现 资金流水 员工社保 租赁房产 环保处罚 财务性投资 "
        "可转债 累计债券余额 在手订单 新增客户 贸易商 第三方回款 质保金 运费 技术人员 销售人员 生产人员 加工费 "
        "委托加工物资 发出商品 合同负债 预付款项 长期股权投资 商誉 无形资产 政府补助 出口退税").split()
ASP = ("变动原因及合理性 构成及变动情况 与同行业可比公司的差异 认定依据和标准 归集方法 定价公允性 真实性 完整性 "
       "匹配关系 期后结转情况 计提充分性 账龄结构 集中度 稳定性及可持续性 会计处理 内部控制有效性 具体构成 单价变动 "
       "数量变动 商业合理性 信用政策 合作历史 采购价格公允性 业务模式 回款情况 库龄分布 减值测试 核查方法和比例 "
       "收入确认时点 资金来源 履约进度 上下游匹配性").split()
LEAD = ["说明", "请说明", "结合", "补充披露", "量化分析", "列示", "分析说明", "对比说明", "进一步说明"]
CTX = ["报告期内", "报告期各期", "2022年", "2023年1-6月", "最近一年及一期", "报告期末", "截至报告期末", "报告期后"]
TAIL = ["是否存在{}的情形", "是否符合行业惯例", "相关内部控制是否健全有效", "是否存在利益输送",
        "是否与{}相匹配", "是否存在重大不利影响", "相关信息披露是否准确"]
HAN = [chr(c) for c in range(0x4E00, 0x9FA5)]
BOARDS = ["创业板", "科创板", "主板", "北交所"]


def _name(rnd: random.Random) -> str:
    return "".join(rnd.choice(HAN) for _ in range(rnd.randint(2, 4)))


def gen_request(rnd: random.Random) -> str:
    parts = []
    for _ in range(rnd.randint(1, 4)):
        s, a = rnd.choice(SUBJ), rnd.choice(ASP)
        p = f"{rnd.choice(LEAD)}{rnd.choice(CTX)}{s}的{a}"
        if rnd.random() < 0.4:
            p += "," + rnd.choice(TAIL).format(rnd.choice(SUBJ))
        if rnd.random() < 0.3:
            p += f",包括{_name(rnd)}、{_name(rnd)}等"
        parts.append(p)
    return ";".join(parts) + "。"


def gen_answer(rnd: random.Random) -> str:
    out = []
    for _ in range(rnd.randint(4, 12)):
        s, a = rnd.choice(SUBJ), rnd.choice(ASP)
        out.append(f"{rnd.choice(CTX)},公司{s}分别为{rnd.randint(100, 999999) / 100:,.2f}万元、"
                   f"{rnd.randint(100, 999999) / 100:,.2f}万元,{s}的{a}主要系{_name(rnd)}等因素所致。")
    return "\n".join(out)


def reword(text: str, rnd: random.Random) -> str:
    """A paraphrase-like variant: clauses reordered, openings swapped, a clause dropped."""
    clauses = [c for c in text.rstrip("。").split(";") if c]
    rnd.shuffle(clauses)
    if len(clauses) > 2:
        clauses.pop()
    out = []
    for c in clauses:
        for lead in sorted(LEAD, key=len, reverse=True):
            if c.startswith(lead):
                c = rnd.choice(["请发行人说明", "分析", "披露"]) + c[len(lead):]
                break
        out.append(c.replace("报告期内", "报告期").replace("的", "", 1))
    return ",".join(out)


def fill(lib: Library, n: int, seed: int = 7, per_reply: int = 125) -> list[str]:
    rnd = random.Random(seed)
    lib.db.execute("PRAGMA synchronous=OFF")  # setup only: no fsync per generated reply
    texts: list[str] = []
    k = 0
    while len(texts) < n:
        k += 1
        rec = ReplyRecord(path=f"/bench/reply_{k:05d}.docx", sha256=f"{k:064x}", issuer=f"{_name(rnd)}股份有限公司",
                          exchange="深圳证券交易所", board=rnd.choice(BOARDS), round="首轮", year=rnd.randint(2019, 2025),
                          tagged=True)
        count = min(per_reply, n - len(texts))
        for qn in range(1, count // 8 + 2):
            if count <= 0:
                break
            q = QuestionRecord(number=qn, label=f"{qn}.", title=f"关于{rnd.choice(SUBJ)}", text="",
                               procedures="访谈管理层;查阅合同;函证。", opinion="经核查,未见异常。")
            for j in range(min(8, count)):
                t = gen_request(rnd)
                texts.append(t)
                q.requests.append(RequestRecord(rid=f"{qn}.({j + 1})", label=f"({j + 1})", text=t,
                                                answer=gen_answer(rnd), topic="gross_margin", topics=["gross_margin"]))
            count -= len(q.requests)
            rec.questions.append(q)
        lib.put(rec)
    return texts


def timed(fn, *a, **kw) -> tuple[float, object]:
    t = time.perf_counter()
    r = fn(*a, **kw)
    return (time.perf_counter() - t) * 1000, r


def summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"{name:<36} n={len(ms):<4} median {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   max {ms[-1]:6.1f} ms"


def _write_docx(text_path: Path, out: Path) -> None:
    import docx

    doc = docx.Document()
    for line in text_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc.add_paragraph(line)
    doc.save(out)


def paraphrase_check(lib: Library) -> None:
    """The test suite's reworded requests of 002/003, searched among all the generated requests."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("test_library", ROOT / "tests" / "test_library.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    ranks, ms = [], []
    for _, rid, query in mod.PARAPHRASES:
        d, hits = timed(lib.search, query, limit=10)
        ms.append(d)
        ranks.append(next((i for i, h in enumerate(hits, 1) if h.request_id == rid and "corpus" in h.source), None))
    top1 = sum(r == 1 for r in ranks)
    top3 = sum(r is not None and r <= 3 for r in ranks)
    print(summary("search: real paraphrases (002/003)", ms) + f"   top1 {top1}/{len(ranks)}, top3 {top3}/{len(ranks)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=100_000)
    ap.add_argument("--db", default=None, help="library file (default: a temporary one)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--keep", action="store_true", help="keep the database file")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = Path(args.db) if args.db else Path(tmp.name) / "bench.sqlite3"
    if db.exists():
        db.unlink()
    lib = Library(db)
    t = time.perf_counter()
    texts = fill(lib, args.requests)
    fill_s = time.perf_counter() - t
    size = db.stat().st_size / 1e6
    print(f"filled {len(texts):,} requests in {fill_s:.1f} s; file {size:.0f} MB")
    lib.close()

    lib = Library(db)  # a fresh connection, as the CLI would open it
    rnd = random.Random(11)
    d, _ = timed(lib.search, texts[0], limit=5)
    print(f"first search on a fresh connection: {d:.1f} ms")
    picks = rnd.sample(range(len(texts)), args.queries)
    ms, found1 = [], 0
    for i in picks:
        d, hits = timed(lib.search, texts[i], limit=5)
        ms.append(d)
        found1 += bool(hits) and hits[0].request == texts[i]
    print(summary("search: exact wording", ms) + f"   found first {found1}/{len(picks)}")
    ms, found3 = [], 0
    for i in picks:
        d, hits = timed(lib.search, reword(texts[i], rnd), limit=5)
        ms.append(d)
        found3 += any(h.request == texts[i] for h in hits[:3])
    print(summary("search: reworded", ms) + f"   found in top 3 {found3}/{len(picks)}")
    words = ["毛利", "存货", "收入", "专利"]
    ms = [timed(lib.search, w, limit=5)[0] for w in words * 5]
    print(summary("search: 1 character (LIKE scan)", [timed(lib.search, w, limit=5)[0] for w in "税货利" * 3]))
    print(summary("search: 2 characters (bigram index)", ms))
    words = ["毛利率变动", "研发费用归集方法", "应收账款账龄", "股份支付", "实际控制人认定", "是否存在利益输送"]
    ms = [timed(lib.search, w, limit=5)[0] for w in words * 5]
    print(summary("search: 4-8 characters", ms))
    ms = [timed(lib.search, texts[i], board="创业板", limit=5)[0] for i in picks[:50]]
    print(summary("search: exact wording, --board", ms))
    ms = [timed(lib.search, texts[i], topic="gross_margin", limit=5)[0] for i in picks[:50]]
    print(summary("search: exact wording, --topic", ms))

    reply = CORPUS / "002_b6a7c14d8069eefe.txt"
    if reply.exists():
        d, res = timed(add_file, lib, reply)
        print(f"add one 406-page reply (002, text) into the full library: {d / 1000:.2f} s "
              f"({res.requests} requests, {res.answered} with answers, status {res.status})")
        d, res = timed(add_file, lib, reply)
        print(f"re-add the same file (unchanged, hash check only): {d / 1000:.3f} s (status {res.status})")
        d, res = timed(add_file, lib, CORPUS / "003_474977f8a7f54835.txt")
        print(f"add 003 (second-round reply, {res.requests} requests): {d / 1000:.2f} s")
        docx_path = Path(tmp.name) / "reply002.docx"
        _write_docx(reply, docx_path)
        d, res = timed(add_file, lib, docx_path)
        print(f"add the same 406-page reply as DOCX ({docx_path.stat().st_size / 1e6:.1f} MB): {d / 1000:.2f} s "
              f"({res.requests} requests, {res.answered} with answers)")
        paraphrase_check(lib)
    else:
        print(f"corpus absent ({CORPUS}): add-timing of a 400-page reply skipped")
    lib.close()

    con = sqlite3.connect(db)
    ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    n = con.execute("SELECT count(*) FROM requests").fetchone()[0]
    jm = con.execute("PRAGMA journal_mode").fetchone()[0]
    con.close()
    print(f"plain SQLite file: integrity_check={ok}, journal_mode={jm}, {n:,} requests, "
          f"{db.stat().st_size / 1e6:.0f} MB at {db}")
    if not args.keep and not args.db:
        tmp.cleanup()


if __name__ == "__main__":
    main()

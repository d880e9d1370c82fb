"""Read a letter file (.txt/.md, .docx, .pdf) into cleaned text: one paragraph per line.

`read_text(path)` is the only entry point later stages need. Every problem with the user's file
(missing, empty, binary, not a real .docx, encrypted or image-only PDF, too large) raises
`UserError` naming the file and the reason.
"""
from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path

from .clean import clean_lines, clean_text
from ..errors import UserError

MAX_BYTES = 200 * 1024 * 1024  # refuse larger files outright
MAX_CHARS = 20_000_000  # extracted text: the longest real reply is under 1 million characters
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".html", ".htm", ""}

# Limits on what a .docx/.xlsx archive may unpack to, checked in the zip's central directory before
# anything is extracted (a real reply or workbook is far below each of them).
MAX_ZIP_ENTRIES = 10_000  # parts in the archive
MAX_UNZIPPED = 256 * 1024 * 1024  # all parts together, uncompressed
MAX_RATIO = 100  # uncompressed/compressed size of a part over 1 MB (Word XML packs about 10:1)
MAX_PARAGRAPHS = 500_000  # <w:p> in the document body (a 500-page reply has about 20,000)
MAX_CELLS = 500_000  # table cells <w:tc> in a document, or cells <c> in a workbook
MAX_ELEMENTS = 5_000_000  # XML elements in one part


def read_text(path: str | os.PathLike) -> str:
    """Cleaned text of a .txt/.md/.docx/.pdf file, one paragraph per line (UserError on bad input)."""
    p = Path(path)
    raw_lines, join = read_raw_lines(p)
    _check_chars(sum(len(x) + 1 for x in raw_lines), p)
    text = "\n".join(clean_lines(raw_lines, join=join))
    if not text.strip():
        raise UserError("no text found in the file (empty after cleaning)", file=str(p))
    return text


def read_raw_lines(path: Path) -> tuple[list[str], bool]:
    """The file's lines before cleaning, and whether wrapped lines must be re-joined."""
    _check_file(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx_lines(path), False
    if suffix == ".pdf":
        return read_pdf_lines(path), True
    if suffix in (".doc", ".wps"):
        raise UserError(f"old binary {suffix} files are not supported; save it as .docx or .pdf", file=str(path))
    head = _head(path)
    if head.startswith(b"%PDF"):
        return read_pdf_lines(path), True
    if head.startswith(b"PK\x03\x04") and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            is_word = "word/document.xml" in z.namelist()
        if is_word:
            return read_docx_lines(path), False
    if suffix not in TEXT_SUFFIXES:
        raise UserError(
            f"unsupported file type {suffix!r}: drafter reads .txt, .md, .html, .docx or .pdf", file=str(path)
        )
    size = path.stat().st_size
    if size > MAX_CHARS * 4:  # even 4-byte characters would give more text than a letter has
        _check_chars(size // 4, path)
    text = decode_text(path.read_bytes(), path)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")
    if suffix in {".md", ".markdown"}:
        text = _strip_markdown(text)
    elif suffix in {".html", ".htm"} or re.match(r"\s*(?:<!doctype html|<html)", text[:200], re.I):
        text = html_to_text(text)
    return text.split("\n"), True


def _check_chars(n: int, path: Path) -> None:
    if n > MAX_CHARS:
        raise UserError(
            f"too much text ({n:,} characters; the limit is {MAX_CHARS:,}): this is not a single letter or reply",
            file=str(path),
        )


def _check_file(path: Path) -> None:
    if not path.exists():
        raise UserError("file not found", file=str(path))
    if path.is_dir():
        raise UserError("is a folder, not a file", file=str(path))
    try:
        st = path.stat()
    except OSError as e:
        raise UserError(f"cannot read the file ({e.strerror})", file=str(path)) from None
    check_regular(path, st)
    size = st.st_size
    if size == 0:
        raise UserError("the file is empty", file=str(path))
    if size > MAX_BYTES:
        raise UserError(
            f"the file is too large ({size / 1024 / 1024:.0f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB)",
            file=str(path),
        )
    if not os.access(path, os.R_OK):
        raise UserError("cannot read the file (permission denied)", file=str(path))


def check_regular(path: Path, st: os.stat_result | None = None) -> None:
    """Refuse a pipe, device or socket up front: reading one blocks or never ends."""
    try:
        st = st or path.stat()
    except OSError as e:
        raise UserError(f"cannot read the file ({e.strerror})", file=str(path)) from None
    if stat.S_ISDIR(st.st_mode):
        raise UserError("is a folder, not a file", file=str(path))
    if not stat.S_ISREG(st.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode)
                or stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise UserError(f"is {kind}, not a regular file; save the content to a file and give that", file=str(path))


Counter = tuple[tuple[bytes, ...], int, str]  # byte patterns, limit, noun ("paragraphs")


def check_zip(path: Path, what: str, prefix: str = "", counters: list[Counter] = ()) -> None:
    """Refuse an archive that would unpack to too much, before anything is extracted.

    Reads only the zip's central directory (part count, declared sizes, compression ratios): reading
    a part never yields more than its declared size. The XML parts whose names start with
    `prefix` are streamed once to count elements (and each counter's patterns: paragraphs, cells)
    without building any tree.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise UserError(f"the {what} holds {len(infos):,} parts; the limit is {MAX_ZIP_ENTRIES:,} "
                                "(not a real document, or a damaged one)", file=str(path))
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise UserError(
                        f"part {info.filename} of the {what} unpacks {info.file_size // max(info.compress_size, 1):,} times "
                        f"larger than stored (the limit is {MAX_RATIO}:1): a zip bomb, not a real document",
                        file=str(path))
            if total > MAX_UNZIPPED:
                raise UserError(f"the {what} unpacks to {total / 1024 / 1024:,.0f} MB; the limit is "
                                f"{MAX_UNZIPPED // 1024 // 1024} MB", file=str(path))
            if prefix:
                for info in infos:
                    if info.filename.startswith(prefix) and info.filename.endswith(".xml"):
                        _count_elements(z, info, counters, what, path)
    except UserError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
        raise UserError(f"not a valid {what} (damaged archive: {e})", file=str(path)) from None


def _count_elements(z: zipfile.ZipFile, info: zipfile.ZipInfo, counters: list[Counter], what: str,
                    path: Path) -> None:
    ns = [0] * len(counters)
    elements = 0
    tail = b""
    with z.open(info) as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            buf = tail + chunk
            tail = buf[-16:]  # carried over: a tag cut between two chunks is seen whole in the next one
            for k, (patterns, limit, noun) in enumerate(counters):
                ns[k] += sum(buf.count(pat) - tail.count(pat) for pat in patterns)
                if ns[k] > limit:
                    raise UserError(f"the {what} has more than {limit:,} {noun} in {info.filename}; the limit is "
                                    f"{limit:,} (not a real document)", file=str(path))
            elements += buf.count(b"<") - buf.count(b"</") - tail.count(b"<") + tail.count(b"</")
            if elements > MAX_ELEMENTS:
                raise UserError(f"the {what} has more than {MAX_ELEMENTS:,} XML elements in {info.filename}; "
                                f"the limit is {MAX_ELEMENTS:,} (not a real document)", file=str(path))


def _head(path: Path, n: int = 8) -> bytes:
    with path.open("rb") as f:
        return f.read(n)


# control characters other than \t \n \f \r (C0 and C1): counted with one regex pass, not a Python loop
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_SURROGATE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff]")


def decode_text(data: bytes, path: Path | str = "<text>") -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; refuse binary noise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:65536]:
        text = _utf16_without_bom(data)
        if text is None:
            raise UserError("not a text file (binary content)", file=str(path))
        return text
    text = None
    used = None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            used = enc
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") > max(8, len(text) // 50):
            raise UserError("not a text file (neither UTF-8 nor GB18030)", file=str(path))
    if used == "gb18030" and _looks_misdecoded(text):
        raise UserError(
            "the text does not read as simplified Chinese in UTF-8 or GB18030 (Big5 or another encoding?); "
            "save it as UTF-8 and try again", file=str(path))
    sample = text[:200000]
    control = len(_CONTROL.findall(sample))
    if sample and control / len(sample) > 0.02:
        raise UserError("not a text file (binary content)", file=str(path))
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: nulls in every other byte of the ASCII parts."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    enc = "utf-16-be" if even > 4 * max(odd, 1) else "utf-16-le" if odd > 4 * max(even, 1) else None
    if enc is None:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    sample = text[:200000]
    bad = len(_CONTROL_OR_SURROGATE.findall(sample))
    return text if sample and bad / len(sample) < 0.01 else None


def _looks_misdecoded(text: str) -> bool:
    """Big5 (or another legacy encoding) read as GB18030 gives many characters outside GB2312.

    A simplified-Chinese letter keeps nearly all its Han characters inside GB2312 (rare characters
    in names are a handful); text decoded with the wrong table scatters across the extension areas.
    """
    han = [c for c in text[:100000] if "\u3400" <= c <= "\u9fff"]
    if len(han) < 200:
        return False
    outside = 0
    for c in han:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            outside += 1
    return outside / len(han) > 0.15


def _strip_markdown(text: str) -> str:
    out = []
    for line in text.split("\n"):
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)  # headings
        line = re.sub(r"^\s{0,3}>\s?", "", line)  # quotes
        line = re.sub(r"^\s*[-*+]\s+(?=\S)", "", line)  # bullets
        line = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), line)
        if re.fullmatch(r"\s*(?:[-*_]\s*){3,}\s*", line):
            line = ""
        if re.fullmatch(r"\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*", line):
            continue  # table separator row
        if line.strip().startswith("|") and line.strip().endswith("|"):
            line = "\t".join(c.strip() for c in line.strip().strip("|").split("|"))
        out.append(line)
    return "\n".join(out)


# --- HTML (a letter saved from the exchange's web page) -------------------------------------------


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block element per line (scripts and styles dropped)."""
    from html.parser import HTMLParser

    blocks = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "td"}

    class _P(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.out: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style", "noscript", "head"):
                self.skip += 1
            elif tag in blocks:
                self.out.append("\t" if tag == "td" else "\n")

        def handle_endtag(self, tag):
            if tag in ("script", "style", "noscript", "head"):
                self.skip = max(0, self.skip - 1)
            elif tag in blocks and tag != "td":
                self.out.append("\n")

        def handle_data(self, data):
            if not self.skip:
                self.out.append(data.replace("\n", " "))

    parser = _P()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # malformed markup: keep what was read
        pass
    lines = [re.sub(r"[ \t]*\t[ \t]*", "\t", ln).strip(" \t") for ln in "".join(parser.out).split("\n")]
    return "\n".join(lines)


# --- DOCX ------------------------------------------------------------------------------------------


def read_docx_lines(path: Path) -> list[str]:
    """Paragraphs and table rows of a .docx, in document order (automatic numbering restored)."""
    if not zipfile.is_zipfile(path):
        if _head(path).startswith(b"\xd0\xcf\x11\xe0"):
            raise UserError(
                "not a readable .docx: it is password-protected or an old binary .doc; remove the password or save it as .docx",
                file=str(path),
            )
        raise UserError("not a valid .docx (it is not a zip archive); save it again from Word", file=str(path))
    check_zip(path, ".docx", "word/", [((b"<w:p>", b"<w:p ", b"<w:p/>"), MAX_PARAGRAPHS, "paragraphs"),
                                       ((b"<w:tc>", b"<w:tc ", b"<w:tc/>"), MAX_CELLS, "table cells")])
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError

        try:
            document = docx.Document(str(path))
        except (PackageNotFoundError, KeyError):
            raise UserError("not a Word document: the archive holds no Word body (word/document.xml); "
                            "save it again from Word as .docx", file=str(path)) from None
        except (ValueError, zipfile.BadZipFile) as e:
            raise UserError(f"not a valid .docx ({e.__class__.__name__})", file=str(path)) from None
    except UserError:
        raise
    except Exception as e:  # lxml syntax errors, truncated archives ...
        raise UserError(f"not a valid .docx ({e.__class__.__name__}: {e})", file=str(path)) from None

    from .docx_numbering import Numbering

    numbering = Numbering.from_document(document)
    body = document.element.body
    lines: list[str] = []
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for el in body.iterchildren():
        if el.tag == W + "p":
            text = _para_text(el, W)
            label = numbering.label_for(el)
            if label and text.strip():
                text = label + text
            lines.append(text)
        elif el.tag == W + "tbl":
            lines.extend(_table_lines(el, W))
        elif el.tag == W + "sdt":  # content controls wrap ordinary paragraphs
            for p in el.iter(W + "p"):
                lines.append(_para_text(p, W))
    return lines


def _para_text(p, W: str) -> str:
    parts = []
    for node in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "sym"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append("\t")
        elif node.tag in (W + "br", W + "cr"):
            parts.append("")  # a manual line break inside a paragraph is not a new paragraph
    return "".join(parts)


def _table_lines(tbl, W: str) -> list[str]:
    lines = []
    for tr in tbl.iterchildren(W + "tr"):
        cells = []
        for tc in tr.iterchildren(W + "tc"):
            paras = [_para_text(p, W) for p in tc.iter(W + "p")]
            cells.append(" ".join(s.strip() for s in paras if s.strip()))
        # merged cells repeat their text: keep each distinct neighbour once
        row = [c for k, c in enumerate(cells) if k == 0 or c != cells[k - 1]]
        if any(row):
            lines.append("\t".join(row))
    return lines


# --- PDF -------------------------------------------------------------------------------------------


CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
# Word/LibreOffice put layout spaces between Chinese and Latin/digits ("2025 年 12 月"); PDF text keeps them
RE_LAYOUT_SPACE = re.compile(rf"(?<=[{CJK}]) (?=[0-9A-Za-z{CJK}(])|(?<=[0-9A-Za-z%)]) (?=[{CJK}])")


def read_pdf_lines(path: Path) -> list[str]:
    """The text layer of a PDF, page by page (page breaks become blank lines)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover
        raise UserError("reading PDF needs pypdfium2 (pip install pypdfium2)", file=str(path)) from None
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        msg = str(e).lower()
        if "password" in msg or "security" in msg or "encrypt" in msg:
            raise UserError("the PDF is encrypted (password protected); remove the protection first", file=str(path)) from None
        raise UserError(f"not a readable PDF ({e})", file=str(path)) from None
    except Exception as e:
        raise UserError(f"not a readable PDF ({e.__class__.__name__})", file=str(path)) from None
    lines: list[str] = []
    chars = 0
    try:
        for page in pdf:
            try:
                tp = page.get_textpage()
                text = tp.get_text_range()
                tp.close()
            finally:
                page.close()
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "").replace("\ufffe", "")
            text = RE_LAYOUT_SPACE.sub("", text)
            chars += len(text.strip())
            _check_chars(chars, path)
            lines.extend(text.split("\n"))
            lines.append("\f")  # page break
    except UserError:
        raise
    except Exception as e:
        raise UserError(f"cannot extract text from the PDF ({e.__class__.__name__})", file=str(path)) from None
    finally:
        pdf.close()
    if chars == 0:
        raise UserError(
            "the PDF has no text layer (scanned or image-only); run OCR on it or supply the DOCX/text",
            file=str(path),
        )
    return lines


__all__ = ["read_text", "read_raw_lines", "decode_text", "clean_text", "MAX_BYTES"]

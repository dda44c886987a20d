"""EPUB 2 and 3: AO3 (Calibre-made and the pre-2019 layout), FanFicFare, and any other book.

The spine's documents are read in order and parsed as one flow; chapter titles come from
the NCX (EPUB 2) or the ``nav`` document (EPUB 3). AO3 books are recognised by their
publisher ("Archive of Our Own") or their preface message and read by
:mod:`fabula.readers.ao3`; FanFicFare books by their ``fanficfare-uid`` identifier or
contributor and read by :mod:`fabula.readers.fanficfare`.

Safety: the container, package (OPF) and NCX files are parsed with ``defusedxml`` (no DTD
is fetched, entity declarations are refused); the XHTML documents with fabula's own
tolerant parser, which never expands entities either. Before anything is unpacked the zip's
directory is checked against these caps (a zip bomb is refused with one clear error):

- at most :data:`MAX_FILES` (10,000) files;
- at most :data:`MAX_TOTAL` (256 MiB) unpacked in all;
- at most :data:`MAX_MEMBER` (64 MiB) unpacked for any one file;
- a compression ratio of at most :data:`MAX_RATIO` (200:1) for any file over 1 MiB unpacked.

Reads are bounded by the same caps even if the zip's directory lies about sizes.

>>> safe_path("OEBPS/../chapter1.xhtml"), safe_path("../../etc/passwd")
('chapter1.xhtml', None)
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from fabula.errors import Errors, ReaderError
from fabula.model import Metadata, Story
from fabula.readers import Format, register_reader
from fabula.readers.markup import (
    Assembler,
    Element,
    Styles,
    decode_html,
    parse_html,
    refuse_entity_declarations,
    walk_blocks,
)

#: Most files an EPUB may hold.
MAX_FILES = 10_000
#: Most bytes all the files may unpack to.
MAX_TOTAL = 256 * 1024 * 1024
#: Most bytes one file may unpack to.
MAX_MEMBER = 64 * 1024 * 1024
#: Highest compression ratio allowed for a file larger than :data:`RATIO_FLOOR` bytes unpacked.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024

_NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}


def safe_path(name: str) -> str | None:
    """A member path normalised inside the archive, or None when it would leave it."""
    p = posixpath.normpath(unquote(name).replace("\\", "/")).lstrip("/")
    return None if p.startswith("..") or p == "." else p


class _Zip:
    """A zip opened with bomb checks; members read with bounded size."""

    def __init__(self, raw: bytes, path: str) -> None:
        self.path = path
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(raw))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
            raise ReaderError(Errors.E141.format(path=path, reason=f"it is not a valid zip archive ({e})")) from e
        if len(infos) > MAX_FILES:
            self._bomb(f"it holds {len(infos):,} files")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_MEMBER:
                self._bomb(f"'{info.filename}' unpacks to {info.file_size:,} bytes")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                self._bomb(f"'{info.filename}' is compressed {ratio:,}:1")
        if total > MAX_TOTAL:
            self._bomb(f"its files unpack to {total:,} bytes")
        self.names = {safe_path(i.filename): i for i in infos if not i.is_dir()}
        self.read_total = 0

    def _bomb(self, reason: str) -> None:
        raise ReaderError(
            Errors.E142.format(
                path=self.path,
                reason=reason,
                max_files=MAX_FILES,
                max_total=MAX_TOTAL,
                max_member=MAX_MEMBER,
                max_ratio=MAX_RATIO,
            )
        )

    def has(self, name: str) -> bool:
        return safe_path(name) in self.names

    def read(self, name: str) -> bytes:
        info = self.names.get(safe_path(name))
        if info is None:
            raise ReaderError(Errors.E141.format(path=self.path, reason=f"'{name}' is listed but missing"))
        try:
            with self.zf.open(info) as f:
                data = f.read(MAX_MEMBER + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as e:
            raise ReaderError(Errors.E141.format(path=self.path, reason=f"'{name}' cannot be unpacked ({e})")) from e
        self.read_total += len(data)
        if len(data) > MAX_MEMBER:
            self._bomb(f"'{name}' unpacks to more than {MAX_MEMBER:,} bytes")
        if self.read_total > MAX_TOTAL:
            self._bomb(f"its files unpack to more than {MAX_TOTAL:,} bytes")
        return data


def _xml(data: bytes, path: str, what: str) -> Any:
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        return DET.fromstring(data)
    except DefusedXmlException as e:
        raise ReaderError(Errors.E140.format(path=f"{path}: {what}")) from e
    except Exception as e:  # ParseError and expat errors: the file is malformed
        raise ReaderError(Errors.E141.format(path=path, reason=f"its {what} is malformed XML ({e})")) from e


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


@dataclass
class Package:
    """What the OPF says: metadata, the spine in order, the TOC entries, stylesheets."""

    opf_path: str
    meta: dict[str, list[tuple[str, dict[str, str]]]] = field(default_factory=dict)
    calibre: dict[str, str] = field(default_factory=dict)
    spine: list[str] = field(default_factory=list)
    nav: list[tuple[str, str]] = field(default_factory=list)  # (title, member path#fragment)
    css: list[str] = field(default_factory=list)
    nav_doc: str | None = None

    def first(self, name: str) -> str | None:
        vals = self.meta.get(name)
        return vals[0][0] if vals else None

    def all(self, name: str) -> list[str]:
        return [v for v, _ in self.meta.get(name, [])]


def _package(z: _Zip, path: str) -> Package:
    opf_path = None
    if z.has("META-INF/container.xml"):
        root = _xml(z.read("META-INF/container.xml"), path, "META-INF/container.xml")
        for el in root.iter():
            if _local(el.tag) == "rootfile" and el.get("full-path"):
                opf_path = safe_path(el.get("full-path", ""))
                break
    if opf_path is None or not z.has(opf_path):
        opfs = sorted(n for n in z.names if n and n.lower().endswith(".opf"))
        if not opfs:
            raise ReaderError(Errors.E141.format(path=path, reason="it has no package file (no content.opf)"))
        opf_path = opfs[0]
    root = _xml(z.read(opf_path), path, opf_path)
    pkg = Package(opf_path)
    base = posixpath.dirname(opf_path)
    manifest: dict[str, tuple[str, str, str]] = {}
    toc_id = None
    for el in root.iter():
        name = _local(el.tag)
        parent_meta = el.tag.startswith("{" + _NS["dc"] + "}")
        if parent_meta:
            attrs = {_local(k): v for k, v in el.attrib.items()}
            pkg.meta.setdefault(name, []).append(("".join(el.itertext()).strip(), attrs))
        elif name == "meta" and el.get("name"):
            pkg.calibre[el.get("name", "")] = el.get("content", "")
        elif name == "item":
            href = safe_path(posixpath.join(base, el.get("href", ""))) or ""
            manifest[el.get("id", "")] = (href, el.get("media-type", ""), el.get("properties", ""))
        elif name == "spine":
            toc_id = el.get("toc")
        elif name == "itemref":
            item = manifest.get(el.get("idref", ""))
            if item and el.get("linear", "yes") != "no":
                pkg.spine.append(item[0])
    for href, media, props in manifest.values():
        if media == "text/css" or href.endswith(".css"):
            pkg.css.append(href)
        if "nav" in props.split():
            pkg.nav_doc = href
    ncx = manifest.get(toc_id or "") or next((m for m in manifest.values() if m[1] == "application/x-dtbncx+xml"), None)
    if ncx and z.has(ncx[0]):
        pkg.nav = _ncx(z, ncx[0], path)
    if not pkg.nav and pkg.nav_doc and z.has(pkg.nav_doc):
        pkg.nav = _nav_doc(z, pkg.nav_doc, path)
    return pkg


def _ncx(z: _Zip, ncx_path: str, path: str) -> list[tuple[str, str]]:
    root = _xml(z.read(ncx_path), path, ncx_path)
    base = posixpath.dirname(ncx_path)
    out: list[tuple[str, str]] = []
    for el in root.iter():
        if _local(el.tag) != "navpoint":
            continue
        label = ""
        src = ""
        for c in el:
            if _local(c.tag) == "navlabel":
                label = " ".join("".join(c.itertext()).split())
            elif _local(c.tag) == "content":
                src = c.get("src", "")
        file, _, frag = src.partition("#")
        out.append((label, (safe_path(posixpath.join(base, file)) or "") + ("#" + frag if frag else "")))
    return out


def _nav_doc(z: _Zip, nav_path: str, path: str) -> list[tuple[str, str]]:
    data = z.read(nav_path)
    refuse_entity_declarations(data, f"{path}: {nav_path}")
    text, _ = decode_html(data, path)
    root = parse_html(text)
    nav = root.find(lambda e: e.tag == "nav" and "toc" in e.attrs.get("epub:type", "toc")) or root
    base = posixpath.dirname(nav_path)
    out: list[tuple[str, str]] = []
    for a in nav.iter("a"):
        file, _, frag = a.attrs.get("href", "").partition("#")
        out.append((a.text(), (safe_path(posixpath.join(base, file)) or "") + ("#" + frag if frag else "")))
    return out


def opf_metadata(pkg: Package) -> Metadata:
    """Metadata from the package: title, creators, language, date, subjects, series, source URL."""
    creators = [v for v, a in pkg.meta.get("creator", []) if a.get("role", "aut") in ("aut", "") and v != "Unknown"]
    url = None
    for v, a in pkg.meta.get("identifier", []):
        if a.get("scheme", "").upper() in ("URL", "URI") and v.startswith("http"):
            url = v
    url = url or next((v for v in pkg.all("source") if v.startswith("http")), None)
    series: tuple[tuple[str, int | None], ...] = ()
    if pkg.calibre.get("calibre:series"):
        idx = pkg.calibre.get("calibre:series_index", "")
        series = ((pkg.calibre["calibre:series"], int(float(idx)) if re.fullmatch(r"\d+(?:\.0+)?", idx) else None),)
    dates = pkg.meta.get("date", [])
    published = next((v for v, a in dates if a.get("event") == "publication"), None)
    published = published or (dates[0][0] if dates else None)
    extra: dict[str, str] = {}
    desc = pkg.first("description")
    if desc:
        extra["description"] = " ".join(re.sub(r"<[^>]+>", " ", desc).split())
    if pkg.first("publisher"):
        extra["publisher"] = pkg.first("publisher") or ""
    return Metadata(
        title=pkg.first("title"),
        authors=tuple(creators),
        language=pkg.first("language"),
        series=series,
        published=published[:10] if published else None,
        additional_tags=tuple(s for s in pkg.all("subject") if s not in ("Fanworks", "FanFiction")),
        source_url=url,
        extra=tuple(extra.items()),
    )


@register_reader(Format.EPUB)
def read_epub(raw: bytes, path: str) -> Story:
    """Read an EPUB: AO3, FanFicFare or any other, in spine order."""
    from fabula.readers import ao3, fanficfare
    from fabula.readers.html import finish

    if not raw.startswith(b"PK"):
        raise ReaderError(Errors.E141.format(path=path, reason="it is not a zip archive, so not an EPUB"))
    z = _Zip(raw, path)
    pkg = _package(z, path)
    docs: list[Element] = []
    parts: list[str] = []
    bases: list[int] = []
    base = 0
    for k, href in enumerate(pkg.spine):
        if not z.has(href):
            continue
        data = z.read(href)
        refuse_entity_declarations(data, f"{path}: {href}")
        text, _ = decode_html(data, path)
        docs.append(parse_html(text, part=k, base=base))
        parts.append(href)
        bases.append(base)
        base += len(text)
    if not docs:
        raise ReaderError(Errors.E141.format(path=path, reason="its spine lists no readable document"))
    css = " ".join(z.read(c).decode("utf-8", "replace") for c in pkg.css if z.has(c))
    styles = Styles.from_css(css)
    for d in docs:
        for st in d.iter("style"):
            styles = styles.merged(Styles.from_css(st.text()))
    opf = opf_metadata(pkg)
    asm = Assembler(parts, bases)
    ids = " ".join(pkg.all("identifier")) + " " + " ".join(pkg.all("contributor"))
    if "fanficfare-uid" in ids or "FanFicFare" in ids:
        md = fanficfare.read_epub_docs(docs, asm, styles, opf)
        return finish(asm, md, path=path, fmt="epub", encoding="utf-8", kind="fanficfare", source_length=base)
    if pkg.first("publisher") == "Archive of Our Own" or ao3.is_ao3(docs):
        md, _ = ao3.read_flow(docs, asm, styles=styles)
        md = _fill(md, opf)
        return finish(asm, md, path=path, fmt="epub", encoding="utf-8", kind="ao3", source_length=base)
    _generic(docs, parts, pkg, asm, styles)
    return finish(asm, opf, path=path, fmt="epub", encoding="utf-8", kind="epub", source_length=base)


def _fill(md: Metadata, opf: Metadata) -> Metadata:
    """Fields the AO3 preface lacked, from the package (title, authors, language, series, URL)."""
    changes: dict[str, Any] = {}
    for name in ("title", "authors", "language", "series", "source_url"):
        if not getattr(md, name) and getattr(opf, name):
            changes[name] = getattr(opf, name)
    if "source_url" in changes:
        from fabula.readers.ao3 import https, work_id_of

        changes["source_url"] = https(changes["source_url"])
        changes["work_id"] = work_id_of(changes["source_url"])
    extra = dict(md.extra)
    for k, v in opf.extra:
        extra.setdefault(k, v)
    changes["extra"] = tuple(extra.items())
    return dataclasses.replace(md, **changes)


def _generic(docs: Sequence[Element], parts: Sequence[str], pkg: Package, asm: Assembler, styles: Styles) -> None:
    """Any EPUB: one chapter per TOC entry's document; documents before the first are front matter."""
    titles: dict[str, str] = {}
    for label, target in pkg.nav:
        titles.setdefault(target.partition("#")[0], label)
    toc_files = [p for p in parts if p in titles]
    first_toc = parts.index(toc_files[0]) if toc_files else 0
    for k, (root, part) in enumerate(zip(docs, parts, strict=True)):
        if part == pkg.nav_doc:
            continue
        body = root.find(lambda e: e.tag == "body") or root
        blocks = walk_blocks(body, styles=styles)
        if not blocks:
            continue
        title = titles.get(part)
        if title is not None:
            asm.start_chapter(title)
        front = bool(toc_files) and k < first_toc
        for b in blocks:
            if b.heading:
                asm.add_block(b, paratext="title")
            else:
                asm.add_block(b, paratext="header" if front else None)

"""The article reader: a scraped news page (plain text or HTML) in, a clean :class:`~idnews.article.Article` out.

A page is read line by line. The outlet is named by the caller or detected from its profile
(:mod:`idnews.outlets`); the generic rules plus that profile's rules then

* collect bylines ("Penulis: … | Editor: …") into ``authors``/``editors`` and the outlet's bullet summary
  ("Intinya sih...") into ``bullets``;
* drop boilerplate lines (app banners, captions, "Baca juga:", related-article tables, video prompts, …) and
  everything from an end marker on (comment footers, teaser lists);
* find where the story starts: the line carrying the dateline ("Jakarta, IDN Times -"), else the line after the
  byline. Lines above it are the header: an optional rubric, the title and the lede. Text with neither (already
  cleaned articles) is all body.

Body paragraphs are kept in order and unaltered except that the dateline prefix moves into ``dateline``; short
unpunctuated lines inside the body are kept as sub-headings and listed in ``headings``.
"""
from __future__ import annotations

import datetime as _dt
import logging
import re
import unicodedata
from pathlib import Path

from idnews.article import Article
from idnews.decode import normalize_text, read_text
from idnews.errors import InputError
from idnews.htmlpage import PageMetadata, extract_html, looks_like_html, read_byline
from idnews.layout import DEFAULT_LAYOUT, LayoutRules
from idnews.outlets import OutletProfile, OutletTable, Rules, default_table

log = logging.getLogger(__name__)

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})

#: Non-empty lines searched for the dateline that starts the story.
_DATELINE_WINDOW = 25

_ANY_TAG = re.compile(r"<[A-Za-z!/][^>]*>")
_SITE_NAME = re.compile(r"\.(?:com|net|id|co\.id)\b|, |\(", re.I)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan", "january"),
            ("februari", "feb", "pebruari", "february"),
            ("maret", "mar", "march"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("agustus", "agu", "agt", "ags", "aug", "august"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct", "october"),
            ("november", "nov", "nopember"),
            ("desember", "des", "dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAY = r"(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad|Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*"
_TIME = r"(?:[,|-]?\s*(?:pukul\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:WIB|WITA|WIT)?)"
# A line that is nothing but a publication date: "Selasa, 29 Oktober 2024 10:15 WIB", "29/10/2024 10:15 WIB".
_DATE_LINE = re.compile(
    rf"^(?:(?:Diterbitkan|Dipublikasikan|Terbit|Published|Diperbarui|Updated)\s*:?\s*)?(?:{_WEEKDAY},?\s*)?"
    rf"(?:(?P<day>\d{{1,2}})\s+(?P<month_name>[A-Za-z]{{3,9}})\.?\s+(?P<year>\d{{4}})"
    rf"|(?P<nday>\d{{1,2}})[/-](?P<nmonth>\d{{1,2}})[/-](?P<nyear>\d{{4}}))\s*{_TIME}?$"
)


def read_article_file(path: Path, *, outlet: str | None = None, table: OutletTable | None = None) -> Article:
    """Read and parse one page file (text or HTML, any supported encoding); see :func:`parse_article`."""
    path = Path(path)
    text = read_text(path)
    html = True if path.suffix.lower() in HTML_SUFFIXES and _ANY_TAG.search(text) else None
    return parse_article(text, outlet=outlet, source_path=path, table=table, html=html)


def parse_article(
    text: str,
    *,
    outlet: str | None = None,
    source_path: str | Path | None = None,
    table: OutletTable | None = None,
    html: bool | None = None,
    clean: bool = True,
    layout: LayoutRules = DEFAULT_LAYOUT,
) -> Article:
    """Parse a scraped page into an :class:`Article`.

    ``outlet`` names the outlet's profile (canonical name, alias or domain); by default it is detected.
    ``html`` forces (``True``) or forbids (``False``) HTML extraction; by default text that looks like HTML is
    extracted first. ``clean=False`` reads the text as given: no line is dropped and no dateline, title or byline
    is taken out, only paragraphs and sub-headings are found (by the same ``layout`` rules), and the exact
    whitespace between paragraphs is kept in ``Article.separators``. Raises :class:`InputError` when no article
    text is left.
    """
    if not text.strip():
        raise InputError(source_path, "the text is empty")
    if not clean:
        return _verbatim(text, source_path=source_path, layout=layout)
    table = table or default_table()
    text = normalize_text(text)
    meta = PageMetadata()
    if html or (html is None and looks_like_html(text)):
        text, meta = extract_html(text, source_path=source_path, bylines=table.generic.bylines)
    lines = layout.logical_lines(text)
    if outlet is not None:
        profile: OutletProfile | None = table.get(outlet)
    else:
        profile = _profile_from_metadata(table, meta)
        if profile is None:
            profile = table.detect([line for line in lines if line])
            if profile is not None and _dateline_names_another_outlet(lines, table, profile):
                profile = None
    page = _Page(lines, table.rules_for(profile), layout)
    article = page.read()
    article.outlet = profile.name if profile else meta.sitename
    article.source_path = None if source_path is None else str(source_path)
    article.title = article.title or meta.title
    article.published = article.published or meta.published
    article.authors = article.authors or list(meta.authors)
    article.editors = article.editors or list(meta.editors)
    if not article.paragraphs:
        raise InputError(source_path, "no article text found (every line is a title, byline or boilerplate)")
    return article


def _verbatim(text: str, *, source_path: str | Path | None, layout: LayoutRules) -> Article:
    paragraphs, separators = layout.paragraphs_with_breaks(unicodedata.normalize("NFC", text))
    if not paragraphs:
        raise InputError(source_path, "the text is empty")
    return Article(
        paragraphs=paragraphs,
        headings=layout.headings(paragraphs),
        separators=separators,
        source_path=None if source_path is None else str(source_path),
    )


def parse_date(line: str) -> _dt.date | None:
    """The date of a line that holds only a publication date ("Selasa, 29 Oktober 2024 10:15 WIB"), else None."""
    match = _DATE_LINE.match(line.strip())
    if not match:
        return None
    try:
        if match.group("day"):
            month = _MONTHS.get(match.group("month_name").lower())
            if month is None:
                return None
            return _dt.date(int(match.group("year")), month, int(match.group("day")))
        return _dt.date(int(match.group("nyear")), int(match.group("nmonth")), int(match.group("nday")))
    except ValueError:
        return None


class _Page:
    """One page's lines and the rules that apply to it; :meth:`read` builds the article."""

    def __init__(self, lines: list[str], rules: Rules, layout: LayoutRules) -> None:
        self.lines = lines
        self.rules = rules
        self.layout = layout
        self.removed: set[int] = set()

    def read(self) -> Article:
        authors, editors, byline_at = self._bylines()
        bullets, block_at = self._summary_block()
        self._drop_boilerplate()
        kept = [i for i, line in enumerate(self.lines) if line and i not in self.removed]

        start, dateline = self._story_start(kept, byline_at, block_at)
        header = self._header_lines(kept[:start])
        body_indices = self._until_end(kept[start:])
        body = [self.lines[i] for i in body_indices]
        if dateline is not None and body:
            body[0] = body[0][len(dateline[0]) :]
            if not body[0]:
                body.pop(0)
        body = _without_repeats(body)

        published = None
        header_text: list[str] = []
        for line in header:
            date = parse_date(line)
            if date is not None:
                published = published or date
            else:
                header_text.append(line)
        rubric, title, lede = _read_header(header_text, self.layout)
        return Article(
            paragraphs=body,
            title=title,
            bullets=bullets,
            dateline=dateline[1] if dateline else None,
            authors=authors,
            editors=editors,
            published=published,
            rubric=rubric,
            lede=lede,
            headings=self.layout.headings(body),
        )

    def _bylines(self) -> tuple[list[str], list[str], int | None]:
        authors: list[str] = []
        editors: list[str] = []
        first = None
        for i, line in enumerate(self.lines):
            if read_byline(line, self.rules.bylines, authors, editors):
                self.removed.add(i)
                first = i if first is None else first
        return authors, editors, first

    def _summary_block(self) -> tuple[list[str], int | None]:
        block = self.rules.summary_block
        if block is None:
            return [], None
        start = next((i for i, line in enumerate(self.lines) if block.start.search(line)), None)
        if start is None:
            return [], None
        self.removed.add(start)
        bullets: list[str] = []
        for i in range(start + 1, len(self.lines)):
            line = self.lines[i]
            if not line:
                continue
            item = block.item.search(line)
            if item:
                bullets.append(item.group("item").strip())
            elif not any(p.search(line) for p in block.drop_after):
                break
            self.removed.add(i)
        return bullets, start

    def _drop_boilerplate(self) -> None:
        for i, line in enumerate(self.lines):
            if line and any(p.search(line) for p in self.rules.drop):
                self.removed.add(i)

    def _story_start(
        self, kept: list[int], byline_at: int | None, block_at: int | None
    ) -> tuple[int, tuple[str, str] | None]:
        """Position in ``kept`` of the first body line, and (matched prefix, dateline) when one was found."""
        for position, i in enumerate(kept[:_DATELINE_WINDOW]):
            for pattern in self.rules.datelines:
                match = pattern.match(self.lines[i])
                if match and match.end() < len(self.lines[i]):
                    if _could_be_header(self._header_lines(kept[:position])):
                        return position, (match.group(0), match.group("dateline").strip())
                    break
        for marker in (byline_at, block_at):
            if marker is not None and (not kept or marker < kept[min(len(kept), _DATELINE_WINDOW) - 1]):
                return sum(1 for i in kept if i < marker), None
        return 0, None

    def _header_lines(self, indices: list[int]) -> list[str]:
        lines = [self.lines[i] for i in indices]
        return [line for line in lines if not any(p.search(line) for p in self.rules.header_drop)]

    def _until_end(self, body: list[int]) -> list[int]:
        for position, i in enumerate(body):
            if any(p.search(self.lines[i]) for p in self.rules.end):
                return body[:position]
        return body


def _dateline_names_another_outlet(lines: list[str], table: OutletTable, profile: OutletProfile) -> bool:
    """Whether the page opens its story with a dateline naming a site ("TRIBUNJATENG.COM, SEMARANG -") that is
    not ``profile``'s own: layout markers shared by a network of sites must not override the dateline."""
    own = profile.rules.datelines
    for line in [line for line in lines if line][:_DATELINE_WINDOW]:
        if any(p.match(line) for p in own):
            return False
        for pattern in table.generic.datelines:
            match = pattern.match(line)
            if match and _SITE_NAME.search(match.group("dateline")):
                return bool(own)
    return False


def _could_be_header(lines: list[str]) -> bool:
    """Whether lines above a dateline can be a page header: a title never ends with a period, so two leading
    sentences (or a single one) mean the "dateline" sits inside already-clean text."""
    lines = [line for line in lines if parse_date(line) is None]
    if not lines:
        return True
    return not (lines[0].endswith(".") and (len(lines) == 1 or lines[1].endswith(".")))


def _read_header(lines: list[str], layout: LayoutRules) -> tuple[str | None, str | None, str | None]:
    """(rubric, title, lede) from the header lines that remain once boilerplate is gone."""
    if not lines:
        return None, None, None
    if len(lines) > 3:
        # Title and lede sit right above the story; lines further up are menus and banners no rule named.
        log.debug("header lines not used: %s", lines[:-3])
        lines = lines[-3:]
    if len(lines) == 3:
        return (lines[0] if layout.is_rubric(lines[0]) else None), lines[1], lines[2]
    if len(lines) == 2 and layout.is_rubric(lines[0]) and not lines[1].endswith(layout.sentence_final):
        return lines[0], lines[1], None
    return None, lines[0], lines[1] if len(lines) > 1 else None


def _without_repeats(lines: list[str]) -> list[str]:
    """Drops a line identical to the one before it (scraped captions and teasers come twice)."""
    return [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]


def _profile_from_metadata(table: OutletTable, meta: PageMetadata) -> OutletProfile | None:
    for hint in (meta.url, meta.sitename):
        if hint:
            profile = table.for_domain(hint)
            if profile is None:
                try:
                    profile = table.get(hint)
                except KeyError:
                    profile = None
            if profile is not None:
                return profile
    return None

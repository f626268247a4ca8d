from idnews.batch.outputs import render_md


def _record(bullets, translation=None):
    return {
        "task": "process",
        "article": {"title": "Judul", "bullets": bullets, "paragraphs": ["Isi berita."], "headings": []},
        "summary": {"id": ["Isi berita."], "en": None},
        "translation": translation,
    }


def test_markdown_shows_the_pages_own_bullets_next_to_the_summary():
    text = render_md(_record(["Poin satu", "Poin dua"]))
    summary_at = text.index("## Ringkasan")
    page_at = text.index("## Intinya sih... (from the page)")
    assert summary_at < page_at < text.index("Isi berita.", page_at)
    assert "- Poin satu\n- Poin dua\n" in text


def test_markdown_without_page_bullets_has_no_intinya_section():
    assert "Intinya" not in render_md(_record([]))

"""Journey 7: a leader opens the 2022 annual summary (年度综述) of the city and downloads it as
.docx: a valid Word document under the summary's title, carrying every figure the page shows."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx import Document
from playwright.sync_api import expect

from .conftest import Journey, named

SUBTITLE = "2022年德阳统战工作综述"  # seed 003's title, the shape the draft follows


def test_download_2022_summary_docx(journey: Journey, tmp_path: Path) -> None:
    page = journey.page
    journey.log_in("demo_leader")
    journey.nav("年度综述")
    page.get_by_label("年度").select_option(label="2022年")  # submits itself
    expect(page.get_by_role("heading", level=1, name="2022年德阳市统战工作综述")).to_be_visible()
    title = page.locator("article h1")
    expect(title).to_contain_text(SUBTITLE)
    page_title = title.inner_text()
    figures = page.locator("table.summary-figures tbody tr td:first-child a").all_inner_texts()
    assert figures, "the page lists the summary's figures"
    journey.shot("summary-2022")

    with page.expect_download() as download:
        page.get_by_role("link", name=named("下载 .docx")).click()
    assert download.value.failure() is None
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".docx"

    assert zipfile.is_zipfile(path)
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        assert "word/document.xml" in package.namelist()
    document = Document(str(path))
    flat = re.sub(r"\s+", "", page_title)
    assert re.sub(r"\s+", "", document.core_properties.title) == flat
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    assert re.sub(r"\s+", "", "".join(lines[:2])) == flat  # the title heads the page
    text = "\n".join(lines)
    missing = [phrase for phrase in figures if phrase not in text]
    assert not missing, f"figures on the page but not in the .docx: {missing}"

"""The site's folders are made once each, parents first, while other site workers may be
making the same ones (wpsgraph.site.render.Folders)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wpsgraph.site.render import Folders


def test_a_file_deep_in_new_folders_gets_every_folder(tmp_path: Path) -> None:
    file = f"{tmp_path}/id/plan/x/action/1/link/2.html"
    assert Folders().ready(file) == file
    assert (tmp_path / "id/plan/x/action/1/link").is_dir()
    # a second set of folders (another worker's) finds them made
    assert Folders().ready(f"{tmp_path}/id/plan/x/action/1/link/3.html")


def test_a_folder_made_by_another_worker_meanwhile_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the folder's parent is missing at first; while this worker makes the parent, another
    # makes the folder itself: the second mkdir finds it there, which is no error
    target = tmp_path / "action" / "1"
    real_mkdir = os.mkdir

    def mkdir(path: str, *args: object) -> None:
        real_mkdir(path)
        if path == str(tmp_path / "action"):
            real_mkdir(target)  # the other worker

    monkeypatch.setattr(os, "mkdir", mkdir)
    Folders().ready(f"{target}/page.html")
    assert target.is_dir()


def test_a_folder_that_cannot_be_made_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        Folders().ready(f"{tmp_path}/file/sub/page.html")

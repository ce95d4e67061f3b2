import pytest


@pytest.fixture
def media(settings, tmp_path):
    """A data dir of its own with a few uploaded files; returns {relative path: bytes}."""
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    files = {
        "documents/2026/agenda.pdf": b"%PDF-1.7 agenda " * 100,
        "documents/2026/名单.xlsx": b"attendee list " * 5000,
        "photos/site.jpg": bytes(range(256)) * 1000,
    }
    for relative, data in files.items():
        path = settings.MEDIA_ROOT / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


@pytest.fixture
def three(tmp_path, monkeypatch):
    """Three configured destinations."""
    folders = [tmp_path / f"copy{n}" for n in (1, 2, 3)]
    monkeypatch.setenv("HUIYI_BACKUP_DESTINATIONS", ",".join(str(f) for f in folders))
    monkeypatch.delenv("HUIYI_BACKUP_KEY", raising=False)
    return folders

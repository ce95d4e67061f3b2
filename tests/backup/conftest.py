import pytest


@pytest.fixture(autouse=True)
def _no_cloud_credentials(monkeypatch):
    """Backup tests talk only to localhost: no credentials or instance-metadata look-ups off this machine."""
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)


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


@pytest.fixture(scope="session")
def s3_server():
    """A real S3 protocol server (moto) on a free localhost port; returns its endpoint URL."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch, request):
    """S3 settings pointing at the local server and a fresh bucket; returns (boto3 client, bucket)."""
    import boto3

    env = {
        "HUIYI_BACKUP_S3_ENDPOINT_URL": s3_server,
        "HUIYI_BACKUP_S3_REGION": "us-east-1",
        "HUIYI_BACKUP_S3_ACCESS_KEY_ID": "testing",
        "HUIYI_BACKUP_S3_SECRET_ACCESS_KEY": "testing",
        "HUIYI_BACKUP_S3_PART_MB": "5",
        "AWS_EC2_METADATA_DISABLED": "true",  # never look for credentials off this machine
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    bucket = "huiyi-" + request.node.name.lower().replace("_", "-")[:40].rstrip("-")
    client.create_bucket(Bucket=bucket)
    return client, bucket

"""Backups in three copies (§3.1(3) "三份备份"): `huiyi backup create | verify | list | restore | genkey`.

One backup is one tar archive streamed (memory stays flat) holding:
- ``database``: a consistent snapshot — SQLite through the online backup API (one step, so WAL readers and
  writers carry on), PostgreSQL through ``pg_dump --format=custom`` taken from an exported snapshot that the
  row counts are read from too, so the counts describe exactly the dump;
- ``files/…``: every file under the default storage's folder (``MEDIA_ROOT`` under ``$HUIYI_DATA_DIR``);
- ``manifest.json`` (last): created_at, database engine, Huiyi version, each file's path, size and SHA-256,
  the dump's SHA-256 and size, row counts per table. Hashes are of the very bytes that went into the archive.

The archive is written once and teed to every destination (``destinations.py``): a folder gets
``.<name>.partial``, fsynced, then renamed to ``<name>.tar`` (``.tar.enc`` when encrypted) and the folder
fsynced; an ``s3://bucket/prefix`` gets a multipart upload (one part buffered at a time, so memory stays flat
whatever the size) that S3 shows as an object only once completed. A crash leaves only a ``.partial`` or an
unfinished upload (never listed, removed or aborted by the next run) or a complete archive. A destination that
fails is dropped from the run and reported (the command exits non-zero, the daily job notifies); the others
still get their copy. ``verify`` reads every copy back — downloading it from a bucket — and checks every
checksum of its manifest. A lock file keeps runs from interleaving.

Settings (environment variables, or Django settings of the same name):
- ``HUIYI_BACKUP_DESTINATIONS``: comma-separated absolute folders and ``s3://bucket/prefix`` URLs, ideally
  on three different disks/machines/sites (e.g. two folders and one bucket). Unset: three folders
  ``$HUIYI_DATA_DIR/backups/{1,2,3}`` with a warning that they share one disk.
- ``HUIYI_BACKUP_S3_*``: endpoint, region, keys, addressing style, part size of the buckets (see
  ``destinations.py``).
- ``HUIYI_BACKUP_KEY``: a Fernet key (``huiyi backup genkey`` prints a new one). When set, the archive is
  encrypted in 1 MiB chunks (AES-128-CBC + HMAC-SHA256, each chunk numbered and the last one marked, so
  reordering, truncation or a flipped byte fail decryption).
- ``HUIYI_BACKUP_TIME``: ``HH:MM`` (server time zone of huey, default 02:30) of the daily create + verify job.

Key handling: keep the key OUT of the backups and out of the data dir (an environment variable injected by
the service manager or a secrets store), and keep a copy offline (printed, in a safe): without it no
encrypted backup can be restored. To rotate, set the new key; older archives still need the old key, so keep
it until they have aged out (or restore and re-create them under the new key). ``verify`` and ``restore`` use
the key currently set.
"""

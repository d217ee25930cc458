"""Files that lie: disguised types and zip bombs, written for the upload and import tests."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from openpyxl import Workbook

BOMB_BYTES = 101 * 1024 * 1024  # just over the 100 MB a workbook may unpack to
CHUNK = b"\0" * (1024 * 1024)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n" + b"\0" * 16
UTF16 = "code,name\r\nA,甲\r\n".encode("utf-16")


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def zip_without_workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return path


def bomb(path: Path, rows: list[list[object]]) -> Path:
    """A real workbook that also holds a member unpacking to `BOMB_BYTES` (it compresses to
    about 100 KB)."""
    workbook(path, rows)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/media/image1.bin", "w") as member:
        for _ in range(BOMB_BYTES // len(CHUNK)):
            member.write(CHUNK)
    return path


def lying_bomb(path: Path, rows: list[list[object]]) -> Path:
    """A workbook whose sheet unpacks to `BOMB_BYTES` while its headers claim 1 KB, so a
    check of the declared sizes passes it."""
    workbook(path, rows)
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if name != sheet:
                archive.writestr(name, content)
        with archive.open(sheet, "w") as member:
            member.write(members[sheet][:-len(b"</worksheet>")])
            for _ in range(BOMB_BYTES // len(CHUNK)):
                member.write(b" " * len(CHUNK))
            member.write(b"</worksheet>")
    return _claim_size(path, sheet, 1024)


def _claim_size(path: Path, name: str, size: int) -> Path:
    """Rewrite the uncompressed size of ``name`` in its local and central headers."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04"
                                                             else 28))[0]
            if data[start + name_at:start + name_at + length] == encoded:
                struct.pack_into("<I", data, start + size_at, size)
            start += 4
    path.write_bytes(bytes(data))
    return path

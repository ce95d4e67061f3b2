"""Reading attendee lists from .xlsx and .csv files, guessing the column mapping and checking every row.

Pure functions: nothing here touches the database. `services.import_attendees` reads a file with
`read_table`, checks it with `check_rows` and saves what passed. The CSV reader detects UTF-8 (with or
without BOM) and GBK/GB18030 line by line, so a file that mixes encodings is refused with the row named
rather than imported as mojibake.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from huiyi.core.files import PackageError, PackageLimits, check_package

from .models import Attendee, Category, Language

#: The largest file and the most rows accepted (a meeting of 50,000 is a very large congress).
MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_ROWS = 50_000
#: What an .xlsx may declare it inflates to: 50,000 rows are some 50 MB of XML; a "zip bomb" is refused
#: before openpyxl inflates it (openpyxl reads the shared strings into memory whole). Issue 10.
PACKAGE_LIMITS = PackageLimits(entries=1_000, unzipped=256 * 1024 * 1024, ratio=200)

#: Fields an import can fill, in the order the mapping step shows them.
FIELDS = [
    "name",
    "organisation",
    "title",
    "phone",
    "email",
    "category",
    "seat",
    "dietary",
    "language",
    "key",
]
FIELD_LABELS = {
    "name": pgettext_lazy("attendee", "Name"),
    "organisation": pgettext_lazy("attendee", "Organisation"),
    "title": pgettext_lazy("attendee", "Title"),
    "phone": gettext_lazy("Mobile phone"),
    "email": gettext_lazy("E-mail"),
    "category": gettext_lazy("Category"),
    "seat": gettext_lazy("Seat"),
    "dietary": gettext_lazy("Dietary needs"),
    "language": gettext_lazy("Language"),
    "key": gettext_lazy("Import key (optional)"),
}
MAX_LENGTHS = {
    "name": Attendee._meta.get_field("name").max_length,
    "organisation": Attendee._meta.get_field("organisation").max_length,
    "title": Attendee._meta.get_field("title").max_length,
    "phone": Attendee._meta.get_field("phone").max_length,
    "email": Attendee._meta.get_field("email").max_length,
    "seat": Attendee._meta.get_field("seat").max_length,
    "dietary": Attendee._meta.get_field("dietary").max_length,
    "key": Attendee._meta.get_field("external_key").max_length,
}

#: Header names recognised for each field (compared after normalising: lower case, no spaces or marks).
HEADER_SYNONYMS = {
    "name": [
        "姓名",
        "名字",
        "参会人",
        "参会人姓名",
        "参会者",
        "嘉宾姓名",
        "代表姓名",
        "name",
        "fullname",
        "attendee",
    ],
    "organisation": [
        "单位",
        "工作单位",
        "所在单位",
        "单位名称",
        "公司",
        "公司名称",
        "机构",
        "组织",
        "organisation",
        "organization",
        "company",
        "affiliation",
        "institution",
    ],
    "title": ["职务", "职位", "职称", "头衔", "title", "position", "jobtitle", "role"],
    "phone": [
        "手机",
        "手机号",
        "手机号码",
        "电话",
        "联系电话",
        "电话号码",
        "联系方式",
        "phone",
        "mobile",
        "tel",
        "telephone",
        "cellphone",
    ],
    "email": ["邮箱", "电子邮箱", "电子邮件", "邮件", "email", "e-mail", "mail"],
    "category": ["类别", "类型", "身份", "参会类别", "嘉宾类别", "人员类别", "category", "type", "group"],
    "seat": ["座位", "座位号", "座号", "席位", "桌号", "seat", "seatnumber", "table"],
    "dietary": [
        "饮食",
        "饮食要求",
        "饮食禁忌",
        "餐饮",
        "餐饮要求",
        "用餐要求",
        "dietary",
        "diet",
        "dietaryneeds",
        "meal",
    ],
    "language": ["语言", "语种", "首选语言", "language", "lang"],
    "key": [
        "编号",
        "序号编码",
        "报名编号",
        "参会编号",
        "注册号",
        "唯一编号",
        "key",
        "id",
        "externalid",
        "registrationid",
        "code",
    ],
}

#: Category labels accepted in a file, normalised like headers.
CATEGORY_SYNONYMS = {
    Category.VIP: ["vip", "贵宾", "重要嘉宾", "vip嘉宾", "特邀嘉宾", "领导", "董事"],
    Category.SPEAKER: [
        "speaker",
        "演讲嘉宾",
        "演讲者",
        "演讲人",
        "讲者",
        "发言人",
        "发言嘉宾",
        "报告人",
        "主讲人",
        "主讲嘉宾",
    ],
    Category.GUEST: [
        "guest",
        "嘉宾",
        "来宾",
        "参会者",
        "参会人员",
        "参会代表",
        "代表",
        "观察员",
        "列席",
        "attendee",
        "delegate",
        "observer",
    ],
    Category.STAFF: ["staff", "工作人员", "会务人员", "会务", "员工", "志愿者", "服务人员", "volunteer"],
    Category.PRESS: ["press", "media", "媒体", "记者", "媒体记者", "新闻媒体", "journalist"],
}
LANGUAGE_SYNONYMS = {
    Language.ZH_HANS: [
        "zh-hans",
        "zh",
        "zh-cn",
        "zhcn",
        "zhhans",
        "中文",
        "简体中文",
        "汉语",
        "普通话",
        "chinese",
        "cn",
    ],
    Language.EN: ["en", "en-us", "en-gb", "english", "英文", "英语"],
}


def _norm(value: str) -> str:
    """Lower case, full-width folded (NFKC), without spaces, punctuation-like separators or a trailing '*'."""
    value = unicodedata.normalize("NFKC", str(value)).strip().lower()
    return re.sub(r"[\s_\-.:：/()（）*]+", "", value)


_HEADERS = {_norm(word): name for name, words in HEADER_SYNONYMS.items() for word in words}
_CATEGORIES = {_norm(word): value for value, words in CATEGORY_SYNONYMS.items() for word in words}
_LANGUAGES = {_norm(word): value for value, words in LANGUAGE_SYNONYMS.items() for word in words}
for _value, _label in Category.choices:  # the labels the interface shows, in both languages
    _CATEGORIES.setdefault(_norm(_value), _value)


class ImportFileError(ValidationError):
    """The file as a whole cannot be read (not a spreadsheet, empty, no header, bad encoding)."""

    def __init__(self, message: str):
        super().__init__({"file": [message]})


@dataclass
class Table:
    """The header and data rows of a file; `row_numbers[i]` is the row of `rows[i]` in the file."""

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    kind: str  # "xlsx" or "csv"
    encoding: str = ""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class CheckedRow:
    row: int
    key: str
    values: dict


@dataclass
class CheckResult:
    good: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)


# -- reading ----------------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed into Excel arrives as 13800001234.0
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_table(data: bytes, filename: str = "") -> Table:
    """Read a spreadsheet's first sheet (xlsx) or a CSV file into a Table; ImportFileError says why not."""
    if not data or not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB; split it into smaller files.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if data[:4] == b"PK\x03\x04":
        try:
            check_package(io.BytesIO(data), PACKAGE_LIMITS)
        except PackageError as error:
            if error.readable:  # an unreadable package gets openpyxl's message below
                raise ImportFileError(
                    _(
                        "This workbook would inflate to %(mb)s MB in %(parts)s parts when opened, far more "
                        "than an attendee list; it is refused. Save it again from Excel or WPS, or as CSV."
                    )
                    % {"mb": error.unzipped_mb, "parts": error.entries}
                ) from error
        raw_rows, kind, encoding = _xlsx_rows(data), "xlsx", ""
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls). Save it as .xlsx (Excel workbook) or CSV and upload it "
                "again."
            )
        )
    else:
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportFileError(_("This file is not a spreadsheet: upload an .xlsx or .csv file."))
        text, encoding = decode_csv(data)
        raw_rows, kind = _csv_rows(text), "csv"
    return _table(raw_rows, kind, encoding)


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            _("This file is not a readable .xlsx workbook; save it again from Excel or WPS and retry.")
        ) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError(_("The workbook has no sheet."))
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def decode_csv(data: bytes) -> tuple[str, str]:
    """Text and encoding of a CSV file: UTF-8 (BOM or not), else GB18030 (a superset of GBK and GB2312).

    Each line is tried on its own: lines that are UTF-8 next to lines that are not mean the file was pasted
    together from two sources, and is refused (row named) instead of being half garbled."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file cannot be read as text.")) from error
    if data.startswith(b"\xef\xbb\xbf"):
        body, bom = data[3:], True
    else:
        body, bom = data, False
    lines = body.split(b"\n")
    first_utf8 = first_other = None
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            first_other = first_other or number
        else:
            first_utf8 = first_utf8 or number
        if first_utf8 and first_other:
            break
    if first_other is None:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    if first_utf8 is not None or bom:
        raise ImportFileError(
            _(
                "The file mixes text encodings: row %(utf8)s is UTF-8 but row %(other)s is not. Save the "
                "whole file again as “CSV UTF-8” and upload it again."
            )
            % {"utf8": first_utf8 or 1, "other": first_other}
        )
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("gb18030")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("Row %(row)s cannot be read as UTF-8 or GBK text; is this really a CSV file?")
                % {"row": number}
            ) from error
    return body.decode("gb18030"), "gb18030"


def _csv_rows(text: str):
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", "\t", ";"], key=first_line.count)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [cell.strip() for cell in row]
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": error}) from error


def _table(raw_rows, kind: str, encoding: str) -> Table:
    headers = None
    rows, numbers = [], []
    for number, row in enumerate(raw_rows, start=1):
        if not any(row):
            continue  # empty rows are ignored wherever they are
        if headers is None:
            headers = row
            header_row = number
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s attendee rows; split it into smaller files.")
                % {"max": MAX_ROWS}
            )
        rows.append(row)
        numbers.append(number)
    if headers is None:
        raise ImportFileError(_("The file is empty."))
    while headers and not headers[-1]:
        headers.pop()
    _require_header(headers, header_row)
    if not rows:
        raise ImportFileError(_("The file has a header row but no attendee rows."))
    return Table(headers=headers, rows=rows, row_numbers=numbers, kind=kind, encoding=encoding)


def _looks_like_data(cell: str) -> bool:
    return "@" in cell or bool(re.fullmatch(r"\+?[\d\s\-()]{7,}", cell))


def _require_header(headers: list[str], row: int) -> None:
    recognised = [h for h in headers if _norm(h) in _HEADERS]
    if any(_looks_like_data(cell) for cell in headers) or not recognised:
        shown = "、".join(h for h in headers[:6] if h) or "—"
        raise ImportFileError(
            _(
                "Row %(row)s should be a header naming the columns (such as 姓名/Name, 单位/Organisation, "
                "手机/Phone) but reads “%(cells)s”. Add a header row and upload the file again."
            )
            % {"row": row, "cells": shown}
        )


# -- mapping ----------------------------------------------------------------------------------------------


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Field → column index, from the header names (the first column that names a field wins)."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = _HEADERS.get(_norm(header))
        if name and name not in mapping:
            mapping[name] = index
    return mapping


def mapping_from_names(headers: list[str], names: dict[str, str]) -> dict[str, int]:
    """Field → column index from field → header text (as given to the API); unknown ones are errors."""
    by_header = {}
    for index, header in enumerate(headers):
        by_header.setdefault(_norm(header), index)
    mapping, errors = {}, []
    for field_name, header in names.items():
        if field_name not in FIELDS:
            errors.append(_("“%(field)s” is not an attendee field.") % {"field": field_name})
        elif header in (None, ""):
            continue
        elif isinstance(header, int) and 0 <= header < len(headers):
            mapping[field_name] = header
        elif _norm(str(header)) in by_header:
            mapping[field_name] = by_header[_norm(str(header))]
        else:
            errors.append(_("The file has no column “%(header)s”.") % {"header": header})
    if errors:
        raise ValidationError({"mapping": errors})
    return mapping


def check_mapping(mapping: dict[str, int], headers: list[str]) -> None:
    errors = []
    if "name" not in mapping:
        errors.append(_("Choose the column that holds the name."))
    used: dict[int, str] = {}
    for field_name, index in mapping.items():
        if not 0 <= index < max(len(headers), 1):
            errors.append(_("Column %(n)s does not exist.") % {"n": index + 1})
        elif index in used:
            errors.append(
                _("The column “%(header)s” is chosen for both %(a)s and %(b)s.")
                % {"header": headers[index], "a": FIELD_LABELS[used[index]], "b": FIELD_LABELS[field_name]}
            )
        used[index] = field_name
    if errors:
        raise ValidationError({"mapping": errors})


# -- rows -------------------------------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """Digits with an optional leading +; spaces, dashes, dots and brackets removed."""
    value = unicodedata.normalize("NFKC", value).strip()
    return re.sub(r"[\s\-().]", "", value)


PHONE_PATTERN = re.compile(r"\+?\d{5,20}")


def parse_category(value: str) -> str | None:
    if not value.strip():
        return Category.GUEST
    return _CATEGORIES.get(_norm(value))


def parse_language(value: str) -> str | None:
    if not value.strip():
        return Language.ZH_HANS
    return _LANGUAGES.get(_norm(value))


def match_key(values: dict) -> tuple[str, str]:
    """The stable key of an attendee and what it was made from: the import key if given, else the phone,
    else the e-mail, else name + organisation (normalised)."""
    if values.get("key"):
        return values["key"], "key"
    if values.get("phone"):
        return f"tel:{values['phone']}", "phone"
    if values.get("email"):
        return f"mail:{values['email'].lower()}", "email"
    return f"name:{_norm(values['name'])}|{_norm(values.get('organisation', ''))}"[:120], "name"


def check_values(values: dict) -> tuple[dict, list[tuple[str, str]]]:
    """Clean one attendee's values; returns them with (field, message) errors. Used by forms and imports."""
    errors = []
    cleaned = {name: (values.get(name) or "").strip() for name in FIELDS}
    if not cleaned["name"]:
        errors.append(("name", _("The name is missing.")))
    if cleaned["phone"]:
        cleaned["phone"] = normalise_phone(cleaned["phone"])
        if not PHONE_PATTERN.fullmatch(cleaned["phone"]):
            errors.append(("phone", _("“%(value)s” is not a phone number.") % {"value": values["phone"]}))
    if cleaned["email"]:
        cleaned["email"] = unicodedata.normalize("NFKC", cleaned["email"])
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors.append(("email", _("“%(value)s” is not an e-mail address.") % {"value": cleaned["email"]}))
    category = parse_category(cleaned["category"])
    if category is None:
        errors.append(
            (
                "category",
                _("Unknown category “%(value)s”: use %(choices)s.")
                % {"value": cleaned["category"], "choices": " / ".join(str(c.label) for c in Category)},
            )
        )
    cleaned["category"] = category or Category.GUEST
    language = parse_language(cleaned["language"])
    if language is None:
        errors.append(
            (
                "language",
                _("Unknown language “%(value)s”: use 中文 or English.") % {"value": cleaned["language"]},
            )
        )
    cleaned["language"] = language or Language.ZH_HANS
    for name, limit in MAX_LENGTHS.items():
        if len(cleaned[name]) > limit:
            errors.append(
                (
                    name,
                    _("Longer than %(limit)s characters (%(length)s).")
                    % {"limit": limit, "length": len(cleaned[name])},
                )
            )
    return cleaned, errors


KEY_SOURCES = {
    "key": gettext_lazy("import key"),
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("e-mail"),
    "name": gettext_lazy("name and organisation"),
}


def check_rows(table: Table, mapping: dict[str, int]) -> CheckResult:
    """Check every row: each problem is a RowError (row number, column header, reason); a row whose key
    repeats an earlier row of the same file is a bad row too."""
    result = CheckResult()
    header_of = {
        name: table.headers[index] if index < len(table.headers) else "" for name, index in mapping.items()
    }
    seen: dict[str, int] = {}
    columns = list(mapping.items())
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        raw = {name: (row[index] if index < len(row) else "") for name, index in columns}
        values, problems = check_values(raw)
        for name, message in problems:
            result.errors.append(RowError(number, header_of.get(name, str(FIELD_LABELS[name])), message))
        if problems:
            result.bad_rows.add(number)
            continue
        key, source = match_key(values)
        if key in seen:
            result.errors.append(
                RowError(
                    number,
                    header_of.get(source if source != "name" else "name", ""),
                    _("Duplicate of row %(row)s (same %(what)s).")
                    % {"row": seen[key], "what": KEY_SOURCES[source]},
                )
            )
            result.bad_rows.add(number)
            continue
        seen[key] = number
        result.good.append(CheckedRow(number, key, values))
    return result

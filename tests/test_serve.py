"""`nhnprice serve`'s HTTP API, as docs/serve.md describes it, and what it refuses."""

from __future__ import annotations

import base64
import json
import os
import socket

import pytest
from click.testing import CliRunner

from nhnprice.cli import main
from serve_support import TIMEOUT_S, Served

MISSPELLED = "    rhf 5 %\n"  # the last share of the vkp pool, at its line in specs/2024.nhp


@pytest.fixture
def served(tmp_path):
    s = Served(tmp_path)
    yield s
    s.close()


def spec_text(served) -> str:
    return served.spec.read_text(encoding="utf-8")


def cli(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def with_typo(text: str) -> tuple[str, int]:
    """The spec with `rhf` misspelled in the vkp pool, and the line of the typo."""
    before, _, after = text.partition(MISSPELLED)
    return before + "    rfh 5 %\n" + after, before.count("\n") + 1


def test_check_gives_the_diagnostics_of_check_diagnostics_json(served, tmp_path):
    text, line = with_typo(spec_text(served))
    status, answer = served.post("/api/check", {"text": text})
    assert status == 200
    [d] = answer["diagnostics"]
    assert (d["code"], d["file"], d["line"], d["column"]) == ("E102", str(served.spec), line, 5)
    assert "`rfh`" in d["message"] and "rhf" in d["hint"]
    # the same document the command line gives for the same text in a file
    served.spec.write_text(text, encoding="utf-8")
    code, _, err = cli("check", str(served.spec), "--diagnostics", "json")
    assert code == 1 and json.loads(err) == answer


def test_check_of_the_saved_spec_finds_nothing(served):
    assert served.post("/api/check", {}) == (200, {"diagnostics": []})


def test_report_is_the_json_report_of_the_command_line(served):
    status, headers, body = served.request("POST", "/api/report", {"parameters": {"prisjustering": "4 %"}})
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    code, out, _ = cli("report", str(served.spec), "--format", "json", "--set", "prisjustering=4%")
    assert code == 0 and body.decode() == out
    report = json.loads(body)
    assert report["format"] == "nhnprice.report/1"
    assert report["parameters"][0]["text"] == "4 %" and report["parameters"][0]["overridden"] is True


def test_report_of_unsaved_text_with_errors_is_422_with_the_diagnostics(served):
    text, line = with_typo(spec_text(served))
    status, answer = served.post("/api/report", {"text": text})
    assert status == 422 and [(d["code"], d["line"]) for d in answer["diagnostics"]] == [("E102", line)]


def test_a_parameter_that_cannot_be_read_is_a_diagnostic(served):
    status, answer = served.post("/api/report", {"parameters": {"prisjustering": "fire"}})
    assert status == 422 and answer["diagnostics"][0]["code"] == "U003"
    assert answer["diagnostics"][0]["message"].startswith("parameter prisjustering=fire:")


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"}, {"Origin": "null"},
                                     {"Host": "evil.example"}, {"Host": "rebound.example:{port}"},
                                     {"Sec-Fetch-Site": "cross-site"}])
def test_requests_from_other_origins_and_hosts_are_refused(served, headers):
    headers = {k: v.format(port=served.port) for k, v in headers.items()}
    status, answer = served.post("/api/check", {}, headers=headers)
    assert status == 403 and "error" in answer
    status, _, _ = served.request("GET", "/static/app.js", headers=headers)
    assert status == 403


def test_the_servers_own_origin_is_answered(served):
    for origin in (f"http://127.0.0.1:{served.port}", f"http://localhost:{served.port}"):
        assert served.post("/api/check", {}, headers={"Origin": origin})[0] == 200


def test_the_api_needs_the_session_token(served):
    assert served.post("/api/check", {}, token=False)[0] == 401
    assert served.post("/api/check", {}, token=False, headers={"X-Nhnprice-Token": "guess"})[0] == 401
    assert served.request("GET", "/api/spec", token=False)[0] == 401
    # a cookie is no way in: other servers on 127.0.0.1 would be sent it too
    assert served.post("/api/check", {}, token=False, headers={"Cookie": f"token={served.server.token}"})[0] == 401


def test_the_token_travels_in_the_addresss_fragment_and_the_page_holds_no_data(served):
    assert served.server.url == f"http://127.0.0.1:{served.port}/#token={served.server.token}"
    status, headers, page = served.request("GET", "/", token=False)
    assert status == 200 and b'src="/static/editor.js"' in page and b"Helsenettet" not in page
    assert "script-src 'self'" in headers["Content-Security-Policy"] and headers["Referrer-Policy"] == "no-referrer"
    assert "Set-Cookie" not in headers


def test_the_page_and_its_scripts_weigh_under_a_megabyte_and_name_nothing_elsewhere(served):
    total = 0
    for name in ("index.html", "app.js", "app.css", "editor.js"):
        status, _, body = served.request("GET", f"/static/{name}")
        assert status == 200
        total += len(body)
        if name != "editor.js":  # the page's own files refer to no other server (the browser test checks the loads)
            assert b"http:" not in body and b"https:" not in body and b"//" not in body.replace(b"// ", b"")
    assert total < 1_000_000


def raw_request(served, head: str) -> bytes:
    """The answer to a request sent as bytes: one whose body is never sent."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=TIMEOUT_S) as s:
        s.sendall(head.encode())
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("path, size", [("/api/check", 5 * 1024 * 1024), ("/api/upload", 50 * 1024 * 1024)])
def test_an_oversize_request_is_refused_before_it_is_read(served, path, size):
    answer = raw_request(served, f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
                                 f"X-Nhnprice-Token: {served.server.token}\r\nContent-Type: application/json\r\n"
                                 f"Content-Length: {size}\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413")


def test_an_oversize_upload_is_refused(served, monkeypatch):
    monkeypatch.setattr("nhnprice.serve.server.MAX_UPLOAD_BYTES", 1000)
    content = base64.b64encode(b"x" * 1001).decode()
    status, answer = served.post("/api/upload", {"name": "kommunehelse", "file": "k.csv", "content": content})
    assert status == 413 and "1000" in answer["error"]


def upload(served, name: str, filename: str, content: bytes):
    return served.post("/api/upload", {"name": name, "file": filename, "content": base64.b64encode(content).decode()})


def test_an_upload_with_a_bad_weight_is_refused_with_its_row_and_column(served):
    rows = (served.folder / "data/2024/kommunehelse.csv").read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].rsplit(",", 1)[0] + ",12x"
    status, answer = upload(served, "kommunehelse", "../../ny-nøkkel.csv", ("\n".join(rows) + "\n").encode())
    assert status == 422 and answer["uploads"] == []
    [d] = answer["diagnostics"]
    assert (d["code"], d["file"], d["line"]) == ("D008", "ny-nøkkel.csv", 4)
    assert d["column"] == len(rows[3]) - 2
    assert served.post("/api/report", {})[0] == 200  # the declared file is still used


def test_an_upload_replaces_the_data_set_for_the_session_only(served):
    before = sorted(p.name for p in served.folder.rglob("*"))
    spec_bytes = served.spec.read_bytes()
    rows = (served.folder / "data/2024/kommunehelse.csv").read_text(encoding="utf-8").splitlines()
    rows[1] = "0301,Oslo,1717710"  # a million more in Oslo: Oslo pays more of every municipal pool
    status, answer = upload(served, "kommunehelse", "kommunehelse-ny.csv", ("\n".join(rows) + "\n").encode())
    assert status == 200 and answer["uploads"] == [{"name": "kommunehelse", "file": "kommunehelse-ny.csv",
                                                    "rows": 357}]

    def oslo() -> int:
        status, body = served.post("/api/report", {"entity": "0301"})
        assert status == 200
        return sum(a["amount_ore"] for a in body["allocations"])

    uploaded = oslo()
    assert served.post("/api/upload/remove", {"name": "kommunehelse"}) == (200, {"uploads": []})
    assert oslo() < uploaded
    assert sorted(p.name for p in served.folder.rglob("*")) == before and served.spec.read_bytes() == spec_bytes


def test_the_spec_is_written_only_on_an_explicit_save(served):
    original = served.spec.read_bytes()
    text, _ = with_typo(spec_text(served))
    edited = text.replace("rfh", "rhf").replace("cost 27.1 mill", "cost 30 mill")
    for path in ("/api/check", "/api/report", "/api/view", "/api/entities", "/api/download"):
        served.post(path, {"text": edited, "format": "json"})
    upload(served, "rhf_basis", "rhf.csv", (served.folder / "data/2024/rhf_basis.csv").read_bytes())
    assert served.spec.read_bytes() == original
    status, _, raw = served.request("GET", "/api/spec")  # the text and version the page read
    read = json.loads(raw)
    assert status == 200 and read["text"] == original.decode()
    status, answer = served.post("/api/save", {"text": edited, "version": read["version"]})
    assert status == 200 and served.spec.read_text(encoding="utf-8") == edited
    # a save from a page that read an older file is refused, and changes nothing
    status, answer = served.post("/api/save", {"text": "year 2024\n", "version": read["version"]})
    assert status == 409 and "changed on disk" in answer["error"]
    assert served.spec.read_text(encoding="utf-8") == edited


def test_a_served_spec_reads_data_only_inside_its_folder(served):
    text = spec_text(served).replace('file "data/2024/rhf_basis.csv"', 'file "../../../../etc/passwd"', 1)
    status, answer = served.post("/api/check", {"text": text})
    [d] = answer["diagnostics"]
    assert d["code"] == "D030" and "outside the spec's folder" in d["message"] and "--allow-data-dir" in d["hint"]
    assert "root:" not in json.dumps(answer)
    (served.folder / "data" / "outside").symlink_to("/etc")
    text = spec_text(served).replace("data/2024/rhf_basis.csv", "data/outside/passwd", 1)
    assert [d["code"] for d in served.post("/api/check", {"text": text})[1]["diagnostics"]] == ["D030"]


def test_a_pipe_in_the_specs_folder_is_refused_not_read_forever(served):
    os.mkfifo(served.folder / "data" / "pipe.csv")
    text = spec_text(served).replace("data/2024/rhf_basis.csv", "data/pipe.csv", 1)
    [d] = served.post("/api/check", {"text": text})[1]["diagnostics"]
    assert d["code"] == "D002" and "not a regular file" in d["message"]


def test_the_page_view_has_the_figures_the_page_shows(served):
    status, view = served.post("/api/view", {"parameters": {"prisjustering": "4 %"}})
    assert status == 200 and view["ok"]
    assert [p["name"] for p in view["parameters"]] == ["prisjustering"]
    assert view["values"] == {"prisjustering": "4 %"}
    assert "<table>" in view["summary"] and "Helsenettet" in view["summary"] and "<svg" in view["flows"]
    expectations = sum(line.strip().startswith("expect ") for line in spec_text(served).splitlines())
    assert len(view["checks"]) == expectations and view["adjustment"][-1].startswith("Prisjustering (§ 17) 4 %")
    # § 17 adjusts the fee itself: 1 570 kr a month becomes 1 633 kr
    assert view["fees"][0]["text"].replace("\u00a0", " ").startswith(
        "Øvrige medlemmer: 1 570,00 kr × 1,04 = 1 633,00 kr per medlem per måned")
    status, plain = served.post("/api/view", {})
    assert all(c["ok"] for c in plain["checks"]) and plain["residuals"] == []
    assert plain["summary"] != view["summary"] and plain["total"] == "1\u00a0077,3"


def test_explain_and_entities(served):
    status, answer = served.post("/api/entities", {"group": "kommuner", "query": "oslo"})
    assert status == 200 and answer["count"] == 1 and answer["entities"][0]["id"] == "0301"
    status, answer = served.post("/api/explain", {"entity": "0301"})
    assert status == 200 and answer["name"] == "Oslo" and answer["text"].startswith("Oslo (0301) betaler")
    assert answer["explanation"]["format"] == "nhnprice.explain/1"
    status, answer = served.post("/api/explain", {"entity": "Olso"})
    assert status == 404 and "did you mean `Oslo`" in answer["error"]


@pytest.mark.parametrize("fmt, start", [("xlsx", b"PK\x03\x04"), ("html", b"<!doctype html>"),
                                        ("json", b"{"), ("csv", b"pool"), ("regulation", b"\xc2\xa7 13")])
def test_downloads(served, fmt, start):
    status, headers, body = served.request("POST", "/api/download", {"format": fmt})
    assert status == 200 and body.startswith(start), body[:80]
    assert headers["Content-Disposition"].startswith('attachment; filename="2024')


def test_the_serve_command_prints_an_address_that_answers(tmp_path):
    """`nhnprice serve SPEC --port 0 --no-browser` as a user starts it, stopped with Ctrl+C."""
    import signal
    import subprocess
    import sys
    import urllib.request

    from serve_support import ROOT, copy_2024

    spec = copy_2024(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "nhnprice", "serve", str(spec), "--port", "0",
                                "--no-browser"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        first = process.stdout.readline()
        assert first.startswith(f"nhnprice serve: {spec} at http://127.0.0.1:"), first
        url = first.split(" at ", 1)[1].strip()
        base, token = url.split("/#token=")
        request = urllib.request.Request(base + "/api/check", data=b"{}", headers={
            "X-Nhnprice-Token": token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            assert json.loads(response.read()) == {"diagnostics": []}
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=TIMEOUT_S)
    assert process.returncode == 0 and "stopped" in out and "Traceback" not in err


def test_a_spec_that_is_not_utf8_is_refused_not_shown_with_stand_ins(served):
    served.spec.write_bytes(served.spec.read_bytes().replace("Øvrige".encode(), "Øvrige".encode("cp1252"), 1))
    status, answer = served.post("/api/check", {})
    assert status == 422 and "is not UTF-8 text" in answer["error"]
    status, _, raw = served.request("GET", "/api/spec")
    assert status == 422 and b"save it as UTF-8" in raw


def test_a_data_file_changed_on_disk_is_read_again(served):
    """The session keeps what it read, but never past a change of the file."""
    def oslo() -> int:
        status, body = served.post("/api/report", {"entity": "0301"})
        return sum(a["amount_ore"] for a in body["allocations"])

    before = oslo()
    key = served.folder / "data/2024/kommunehelse.csv"
    key.write_text(key.read_text(encoding="utf-8").replace("0301,Oslo,717710", "0301,Oslo,1717710"), encoding="utf-8")
    assert oslo() > before


def test_the_page_shows_the_bound_a_fee_margin_declares(served):
    assert served.post("/api/view", {})[1]["fee_bounds"] == []  # 2024: no margin, the share is the bound
    text = spec_text(served).replace("per month from ovrige_medlemmer", "per month from ovrige_medlemmer margin 1 %")
    status, view = served.post("/api/view", {"text": text})
    assert status == 200 and [b.replace("\u00a0", " ") for b in view["fee_bounds"]] == [
        "Øvrige medlemmer: kan kreve inn høyst andelen 126 000 000,00 kr + margin 1 260 000,00 kr = "
        "127 260 000,00 kr; krever inn 125 983 080,00 kr"]


def test_no_other_command_imports_the_server():
    """Start-up of check and report pays nothing for serve (its modules are imported only by it)."""
    import subprocess
    import sys

    from serve_support import ROOT

    code = ("import sys; from nhnprice.cli import main\n"
            "for args in (['check', 'specs/2024.nhp'], ['report', 'specs/2024.nhp', '--format', 'json']):\n"
            "    try: main(args)\n"
            "    except SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('nhnprice.serve', 'http.server'))), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stderr.strip().splitlines()[-1] == "[]", proc.stderr[-500:]


def test_a_folder_the_user_allows_admits_the_examples_that_read_a_sibling_folder(monkeypatch):
    """specs/examples/ reads ../data/: refused by default, served with --allow-data-dir specs/data."""
    from serve_support import ROOT

    monkeypatch.delenv("NHNPRICE_ALLOW_DATA_DIRS")  # what the tests allow every command (conftest.py)
    from nhnprice.serve.workspace import Workspace

    example = str(ROOT / "specs" / "examples" / "2027-individuelt-medlemskap.nhp")
    text = Workspace(example).read()[0]
    assert {d.code for d in Workspace(example).evaluate(text).diagnostics} == {"D030"}
    evaluation = Workspace(example, (str(ROOT / "specs" / "data"),)).evaluate(text, {"medlemmer": "20000"})
    assert evaluation.result is not None and evaluation.result.parameters["medlemmer"] == 20000


def test_an_xlsx_upload_is_checked_like_a_csv_one(served):
    """A workbook as finance staff keep the key: a bad weight is refused at its row, with its cell."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for i, line in enumerate((served.folder / "data/2024/kommunehelse.csv").read_text(encoding="utf-8").splitlines()):
        number, name, weight = line.split(",")
        sheet.append([number, name, "tolv" if i == 3 else (int(weight) if i else weight)])
    raw = io.BytesIO()
    workbook.save(raw)
    status, answer = upload(served, "kommunehelse", "nøkkel.xlsx", raw.getvalue())
    [d] = answer["diagnostics"]
    assert status == 422 and (d["code"], d["file"], d["line"], d["column"]) == ("D008", "nøkkel.xlsx", 4, 3)
    assert any("cell C4" in note for note in d["notes"])
    sheet["C4"] = 149048
    raw = io.BytesIO()
    workbook.save(raw)
    status, answer = upload(served, "kommunehelse", "nøkkel.xlsx", raw.getvalue())
    assert status == 200 and answer["uploads"][0]["rows"] == 357


def test_a_client_that_goes_away_mid_answer_leaves_no_traceback(served, capfd):
    """A reload while the report is on its way: the server goes on, and says nothing."""
    head = (f"POST /api/report HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nX-Nhnprice-Token: {served.server.token}"
            "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", served.port), timeout=TIMEOUT_S) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset on close
            s.sendall(head.encode())
            s.recv(1000)  # the answer has begun
    assert served.post("/api/check", {})[0] == 200
    assert "Traceback" not in capfd.readouterr().err

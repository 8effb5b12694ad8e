"""``tradefin bl``: a whole bill's life from the command line, and its errors as one line."""

import json

import pytest

from tradefin.cli.main import main


@pytest.fixture
def cli(capsys, project, monkeypatch, session_chain, tmp_path):
    monkeypatch.chdir(project.root)
    monkeypatch.setattr(type(project), "deployments_dir", property(lambda self: tmp_path / "deployments"))

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(
            [*argv[:2], *argv[2:], "--rpc-url", session_chain.rpc_url]
            if argv[0] == "bl" and argv[1] != "sample"
            else list(argv)
        )
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_a_bill_from_issue_to_accomplishment(cli, tmp_path):
    code, document, _ = cli("bl", "sample", "--reference", "CLI-1")
    assert code == 0
    path = tmp_path / "bill.json"
    path.write_text(document)
    assert cli("bl", "deploy")[0] == 0
    code, out, err = cli("bl", "issue", str(path), "--to", "shipper", "--remark", "on board")
    assert code == 0, err
    bill = out.split()[2]
    for argv in (("endorse", bill, "buyer"), ("transfer", bill, "buyer"), ("surrender", bill, "--as", "buyer")):
        code, out, err = cli("bl", *argv)
        assert code == 0, err
    code, out, _ = cli("bl", "verify", str(path))
    assert code == 0 and "surrender pending" in out
    assert cli("bl", "accept", bill)[0] == 0
    code, _, err = cli("bl", "verify", str(path))
    assert code == 1 and "accomplished" in err
    code, out, _ = cli("bl", "history", bill, "--json")
    actions = [entry["action"] for entry in json.loads(out)]
    assert actions == ["issued", "beneficiary_transferred", "holder_transferred", "surrendered", "surrender_accepted"]


def test_wrong_party_is_one_line_named_after_the_error(cli, tmp_path):
    path = tmp_path / "bill.json"
    path.write_text(cli("bl", "sample", "--reference", "CLI-2")[1])
    cli("bl", "deploy")
    bill = cli("bl", "issue", str(path), "--to", "shipper")[1].split()[2]
    code, _, err = cli("bl", "transfer", bill, "buyer", "--as", "buyer")
    assert code == 1 and err.startswith("error: TitleNotHolder(") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("bl", "transfer", "not-a-bill", "buyer"), "is not a bill id"),
        (("bl", "transfer", "0x01", "0x1234"), "not an address"),
        (("bl", "transfer", "0x01", "pirate"), "unknown role 'pirate'"),
        (("bl", "history", "0x01"), "no bill"),
    ],
)
def test_bad_input_is_one_line(cli, argv, message):
    cli("bl", "deploy")
    code, _, err = cli(*argv)
    assert code != 0 and message in err and "Traceback" not in err


def test_invalid_document_names_the_field(cli, tmp_path):
    document = json.loads(cli("bl", "sample")[1])
    document["transports"]["portOfLoading"]["UNLocationCode"] = "XX"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    code, _, err = cli("bl", "issue", str(path), "--to", "shipper")
    assert code == 1 and "invalid transport document" in err and "portOfLoading" in err


def test_registry_not_deployed_is_one_line(cli):
    code, _, err = cli("bl", "history", "0x01", "--registry", "Nowhere")
    assert code == 1 and "nothing named 'Nowhere'" in err

import pytest

from depeche.errors import SettingsError
from depeche.settings import Settings


def test_unknown_key_is_rejected_with_a_suggestion():
    with pytest.raises(SettingsError, match="Unknown setting 'top_kk'.*Did you mean 'top_k'"):
        Settings.from_mapping({"top_kk": 3})


def test_wrong_type_is_rejected_with_the_help_line():
    with pytest.raises(SettingsError, match="'top_k' .* must be int, got 'beaucoup'"):
        Settings.from_mapping({"top_k": "beaucoup"})


def test_unknown_environment_variable_is_rejected():
    with pytest.raises(SettingsError, match="DEPECHE_STOR.*DEPECHE_STORE"):
        Settings.load(env={"DEPECHE_STOR": "/tmp/x"})


def test_precedence_defaults_then_file_then_environment_then_cli(tmp_path):
    cfg = tmp_path / "depeche.toml"
    cfg.write_text('top_k = 7\nstore = "/from/file"\nport = 9000\n')
    s = Settings.load(cli={"store": "/from/cli"}, env={"DEPECHE_TOP_K": "9", "DEPECHE_CONFIG": str(cfg)})
    assert (s.top_k, s.store, s.port) == (9, "/from/cli", 9000)


def test_corpus_from_environment_is_a_path_list():
    s = Settings.load(env={"DEPECHE_CORPUS": "a:b"})
    assert s.corpus == ["a", "b"]


def test_bad_config_file_is_one_clear_error(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("top_k = = 3")
    with pytest.raises(SettingsError, match="not valid TOML"):
        Settings.load(config=str(cfg), env={})

"""Settings: defaults < TOML < ICS_* environment < explicit arguments, with precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings, SettingsError


def test_precedence_toml_env_arguments(tmp_path: Path) -> None:
    toml = tmp_path / "ics.toml"
    toml.write_text('top_k = 7\nindex_dir = "/data/a"\nchunk_tokens = 150\n', encoding="utf-8")
    env = {"ICS_TOP_K": "9", "ICS_CHROMA_HOST": "127.0.0.1", "ICS_CORPUS_DIRS": "a:b"}
    s = Settings.load(config_file=toml, env=env, index_dir="/data/b")
    assert s.top_k == 9 and s.chunk_tokens == 150 and s.index_dir == Path("/data/b")
    assert s.chroma_host == "127.0.0.1" and s.corpus_dirs == (Path("a"), Path("b"))
    assert "chroma server" in s.index_location


def test_assistant_table_in_toml(tmp_path: Path) -> None:
    toml = tmp_path / "ics.toml"
    toml.write_text("[assistant]\nfusion_weights = [0.5, 0.5]\n", encoding="utf-8")
    assert Settings.load(config_file=toml, env={}).fusion_weights == (0.5, 0.5)


@pytest.mark.parametrize(("env", "message"), [
    ({"ICS_TOP_K": "many"}, "top_k"),
    ({"ICS_CHUNK_TOKENS": "400"}, "chunk_tokens"),
    ({"ICS_FUSION_MODE": "magic"}, "fusion_mode"),
])
def test_bad_values_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.load(env=env)


def test_environment_spellings_and_direct_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"ICS_UPLOADS_ENABLED": "off", "ICS_CHROMA_HOST": "none", "ICS_EMBED_METADATA": "title:section", "ICS_TOP_K": ""}
    s = Settings.load(env=env)
    assert s.uploads_enabled is False and s.chroma_host is None and s.embed_metadata == ("title", "section") and s.top_k == 5
    monkeypatch.setenv("ICS_TOP_K", "9")
    assert Settings.load().top_k == 9 and Settings().top_k == 5  # construction: defaults and what is passed only
    assert Settings.load(top_k=3).replace(chunk_tokens=100).top_k == 3
    with pytest.raises(SettingsError, match="uploads_enabled: input should be a valid boolean"):
        Settings.load(env={"ICS_UPLOADS_ENABLED": "maybe"})
    with pytest.raises(SettingsError, match="top_k: expected a number"):
        Settings(top_k=True)
    secret = Settings(llm_api_key="sk-secret")
    assert "sk-secret" not in repr(secret) and "sk-secret" not in str(secret.to_dict())


def test_unknown_keys_and_missing_files(tmp_path: Path) -> None:
    toml = tmp_path / "ics.toml"
    toml.write_text("colour = 'blue'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown setting"):
        Settings.load(config_file=toml, env={})
    with pytest.raises(SettingsError, match="not found"):
        Settings.load(config_file=tmp_path / "missing.toml", env={})
    toml.write_text("top_k = [", encoding="utf-8")
    with pytest.raises(SettingsError, match="cannot read"):
        Settings.load(config_file=toml, env={})


def test_llm_extra_body_is_a_json_object_from_env_or_a_toml_table(tmp_path: Path) -> None:
    env = {"ICS_LLM_EXTRA_BODY": '{"top_k": 20}'}
    assert Settings.load(env=env).extra_body() == {"top_k": 20}
    toml = tmp_path / "ics.toml"
    toml.write_text("[assistant.llm_extra_body]\noptions = { num_ctx = 8192 }\n", encoding="utf-8")
    assert Settings.load(config_file=toml, env={}).extra_body() == {"options": {"num_ctx": 8192}}
    assert Settings.load(env={}).extra_body() == {}
    for bad in ('{"top_k": ', "[1, 2]", '"grammar"'):
        with pytest.raises(SettingsError, match="llm_extra_body must be a JSON object"):
            Settings.load(env={"ICS_LLM_EXTRA_BODY": bad})

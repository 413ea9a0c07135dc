from app import settings


def test_recent_files_round_trip_through_ini_keeps_order_and_limit(isolated_settings):
    assert settings.recent_files() == []
    settings.add_recent("/data/a.csv")
    assert settings.recent_files() == ["/data/a.csv"]          # one item survives INI's string form
    for i in range(15):
        settings.add_recent(f"/data/{i}.csv")
    settings.add_recent("/data/3.csv")
    recent = settings.recent_files()
    assert recent[0] == "/data/3.csv"
    assert len(recent) == settings.MAX_RECENT
    assert len(set(recent)) == len(recent)
    assert (isolated_settings).exists()


def test_typed_reads_return_defaults_when_unset():
    assert settings.read(settings.LAST_DIR) == ""
    assert settings.read(settings.GEOMETRY).isEmpty()

"""Settings come from the environment; each case starts a fresh Python so nothing is cached."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "reviews.example.gov.uk",
    "EMAIL_HOST": "smtp.example.gov.uk",
}

SHOW = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "broker": "redis" if "redis" in settings.Q_CLUSTER else "orm",
    "debug": settings.DEBUG,
}))
"""


def run(code: str, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS",
                         "EMAIL_HOST", "DEMO_MFA_CODE"}}
    base.update({"DJANGO_SETTINGS_MODULE": "portal.settings", "VAR_DIR": str(ROOT / "var"), **env})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True,
                          text=True, timeout=120)


def settings_with(**env) -> dict:
    result = run(SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_nothing_set_it_runs_embedded():
    assert settings_with(DEBUG="1") == {
        "engine": "django.db.backends.sqlite3", "layer": "channels.layers.InMemoryChannelLayer",
        "cache": "django.core.cache.backends.locmem.LocMemCache", "broker": "orm", "debug": True,
    }


def test_database_url_switches_to_postgresql():
    shown = settings_with(DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/test")
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["layer"] == "channels.layers.InMemoryChannelLayer"


def test_redis_url_switches_the_layer_the_cache_and_the_broker():
    shown = settings_with(DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/0")
    assert shown["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert shown["broker"] == "redis"


def test_postgresql_is_pooled_and_each_redis_database_has_its_own_channels():
    code = ("import json, django\nfrom django.conf import settings\ndjango.setup()\n"
            "print(json.dumps([settings.DATABASES['default']['OPTIONS']['pool'],"
            " settings.CHANNEL_LAYERS['default']['CONFIG']['prefix']]))")
    result = run(code, DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
                 REDIS_URL="redis://127.0.0.1:6379/3", DATABASE_POOL_SIZE="4")
    assert result.returncode == 0, result.stderr
    pool, prefix = json.loads(result.stdout.strip().splitlines()[-1])
    assert pool == {"min_size": 2, "max_size": 4, "timeout": 3}
    assert prefix == "portal3"  # pub/sub is shared by every Redis database number


def refused(**env) -> str:
    result = run(SHOW, **env)
    assert result.returncode != 0
    return result.stderr.strip().splitlines()[-1]


def test_a_bad_value_is_refused_with_its_name():
    assert "DEBUG must be true or false" in refused(DEBUG="maybe")
    assert "Q_WORKERS must be a whole number" in refused(DEBUG="1", Q_WORKERS="lots")
    assert "DATABASE_URL must start with postgres://" in refused(DEBUG="1",
                                                                 DATABASE_URL="mysql://x/y")


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    assert "SECRET_KEY must be set when DEBUG is off" in refused(**env)


def test_production_refuses_to_start_without_allowed_hosts():
    env = {**PRODUCTION, "ALLOWED_HOSTS": ""}
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in refused(**env)


def test_the_demo_mfa_code_is_refused_in_production():
    assert "DEBUG" in refused(**PRODUCTION, DEMO_MFA_CODE="000000")


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-a-file-" + "x" * 50)
    env = {**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": str(secret)}
    result = run("import django; from django.conf import settings; django.setup();"
                 "print(settings.SECRET_KEY)", **env)
    assert result.stdout.strip() == "from-a-file-" + "x" * 50


def test_the_deployment_checklist_is_clean_in_production():
    result = run("import sys; from django.core.management import execute_from_command_line;"
                 "execute_from_command_line(['manage.py', 'check', '--deploy',"
                 " '--fail-level', 'WARNING'])", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_audit_trails_refusals_a_minute_come_from_the_environment():
    show = ("import django; from django.conf import settings; django.setup(); "
            "print(settings.AUDIT_REFUSALS_PER_MINUTE)")
    assert run(show, DEBUG="1").stdout.split()[-1] == "30"
    assert run(show, DEBUG="1", AUDIT_REFUSALS_PER_MINUTE="5").stdout.split()[-1] == "5"
    assert "AUDIT_REFUSALS_PER_MINUTE must be at least 1" in run(
        show, DEBUG="1", AUDIT_REFUSALS_PER_MINUTE="0").stderr

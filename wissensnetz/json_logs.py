"""The JSON log line format, shared by Django's logging (settings) and gunicorn's
(gunicorn_conf.py): one object per line with time, level, logger, message and process id.
No Django imports, so gunicorn's config file can use it before Django is set up."""

JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    "datefmt": "%Y-%m-%dT%H:%M:%S%z",
    "json_ensure_ascii": False,
    "timestamp": False,
}

# CollabHub web image: migrates the database, then execs gunicorn (gevent workers).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    INSTANCE_PATH=/app/instance \
    LOG_DIR=/app/instance/logs

WORKDIR /app
RUN useradd --create-home --uid 10001 collabhub
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN mkdir -p /app/instance/logs && chown -R collabhub /app/instance
USER collabhub

EXPOSE 8000
# The same two steps `make run` takes, minus the demo data.
CMD ["sh", "-c", "flask --app wsgi db upgrade && exec gunicorn -c gunicorn.conf.py wsgi:app"]

# The explorer's API, for docker compose (with Neo4j) or on its own (embedded store).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /srv/lifeact
COPY pyproject.toml requirements.lock README.md ./
COPY app ./app
COPY cypher ./cypher
COPY seed ./seed
# Editable: the app reads cypher/, seed/, static/ and templates/ from this source tree.
RUN pip install --no-cache-dir -c requirements.lock -e .
RUN useradd --create-home lifeact && mkdir -p data && chown lifeact data
USER lifeact
EXPOSE 8000
CMD ["lifeact", "serve", "--host", "0.0.0.0", "--port", "8000"]

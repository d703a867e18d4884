# Quartiers — make targets. `make` alone lists them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install browser run demo serve worker test test-fast lint eval bench bench-national load-test clean

help: ## Liste les commandes
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Crée .venv et installe Quartiers avec ses dépendances

browser: ## Installe Chromium (paquet Debian) pour les tests dans le navigateur
	@test -x /usr/bin/chromium || { \
	  echo "Installation de Chromium (paquet Debian)…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

demo: install ## Applique les migrations et charge la démonstration (idempotent)
	$(BIN)/quartiers demo

run: demo ## Installe, migre, charge la démonstration, sert le site sur http://127.0.0.1:8000/ avec le worker
	$(BIN)/quartiers serve 127.0.0.1:8000 --with-worker

worker: install ## Lance le worker des tâches de fond (courriels, clôtures, rappels)
	$(BIN)/quartiers worker

serve: install ## Sert le site sans recharger la démonstration
	$(BIN)/quartiers serve 127.0.0.1:8000

test: install browser ## Lance toute la suite de tests (SQLite, ou PostgreSQL si DATABASE_URL est défini)
	$(BIN)/python -m pytest -q

test-fast: install ## Lance les tests sans le navigateur
	$(BIN)/python -m pytest -q -m "not browser"

lint: install ## Vérifie le style (ruff), les types (mypy), l'architecture (import-linter) et les migrations
	$(BIN)/ruff check --output-format concise quartiers tests bench eval
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/djlint quartiers --lint
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=quartiers.config.settings \
	  $(BIN)/python -m django makemigrations --check --dry-run

eval: install ## Évalue le moteur de rapprochement et les références sur le jeu de développement
	$(BIN)/python -m eval.run

bench: install ## Mesure les performances (bench/) ; recopier les chiffres dans docs/
	$(BIN)/python bench/bench_importer.py
	$(BIN)/python bench/bench_matching.py
	$(BIN)/python bench/bench_review_queue.py
	$(BIN)/python bench/bench_programme.py

bench-national: install ## Base nationale synthétique (PostgreSQL quartiers_bench), pages national/un contrat, mémoire des moteurs
	$(BIN)/python bench/national.py
	$(BIN)/python bench/bench_national_pages.py
	$(BIN)/python bench/bench_matcher_memory.py

load-test: install ## Test de charge borné sur 127.0.0.1 (SQLite 20 utilisateurs, PostgreSQL 50, 2 min chacun)
	$(BIN)/python bench/load_test.py --db sqlite --users 20 --duration 120
	$(BIN)/python bench/load_test.py --db postgres --users 50 --duration 120

clean: ## Supprime l'environnement et les données locales
	rm -rf $(VENV) var

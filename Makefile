# Buurtcentra: `make run` starts the app with a local PostgreSQL and demo data; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := run

ROOT := $(CURDIR)
VENDOR := src/Buurtcentra.Web/wwwroot/vendor/utrecht
APP_URL := http://127.0.0.1:5080
SUDO := $(shell [ "$$(id -u)" -ne 0 ] && command -v sudo)
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: run test bench bench-planning assets build db-start db-stop chromium smtp-server clean

## Front-end: the design system's CSS from npm, copied into wwwroot (not committed).
assets: $(VENDOR)/component-library.css

$(VENDOR)/component-library.css: package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/@utrecht/design-tokens/dist/index.css $(VENDOR)/design-tokens.css
	cp node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/component-library.css

build: assets
	dotnet build Buurtcentra.sln -c Release -v quiet -nologo

db-start:
	@db/local-postgres.sh start >/dev/null

db-stop:
	@db/local-postgres.sh stop

chromium:
	@[ -x /usr/bin/chromium ] || { echo "Installing Debian's chromium for the browser tests"; $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

## Mail tests deliver through a real SMTP server on loopback: Debian's aiosmtpd (for Debian's python3).
smtp-server:
	@/usr/bin/python3 -c "import aiosmtpd, icalendar, dateutil" 2>/dev/null || { echo "Installing Debian's python3-aiosmtpd (mail tests), python3-icalendar and python3-dateutil (feed tests)"; $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-aiosmtpd python3-icalendar python3-dateutil >/dev/null; }

run: assets
	@[ -n "$$ConnectionStrings__Default" ] || db/local-postgres.sh start buurtcentra >/dev/null
	@echo ""
	@echo "Buurtcentra draait op $(APP_URL)"
	@echo "Demo-logins (wachtwoord: demo-Utrecht-2026):"
	@echo "  functioneel@buurtcentra.example       functioneel beheerder"
	@echo "  beheerder.hoograven@vooruit.example   sociaal beheerder (Hart van Hoograven, De Boog)"
	@echo "  beheerder.zuilen@mekaar.example       sociaal beheerder (De Beatrix, De Zuilenhoek)"
	@echo "  coordinator@vooruit.example           SMO-coördinator Vooruit"
	@echo "  monteur@stadsbedrijven.example        Stadsbedrijven"
	@echo "  truus@klaverjasclub.example           gebruiker: vraag een inloglink aan, de mail staat in .data/mail/"
	@echo "Demo-API-sleutel van beheerder.hoograven (alleen demodata):"
	@echo "  curl -H \"Authorization: Bearer bc_demo-xDpxjcOnPqYjsoSsBvEuUjAmxzt7pPmg59irqg\" $(APP_URL)/api/v1/me"
	@echo ""
	@export ConnectionStrings__Default="$${ConnectionStrings__Default:-$$(db/local-postgres.sh start);Database=buurtcentra}"; \
	  export Demo__Load=true Mail__PickupDirectory="$(ROOT)/.data/mail" ASPNETCORE_ENVIRONMENT=Development; \
	  dotnet run --project src/Buurtcentra.Web -c Release --no-launch-profile --urls $(APP_URL)

test: assets chromium smtp-server
	@set -o pipefail; mkdir -p .data; : > .data/test-output.log; \
	  base=$$(db/local-postgres.sh start) && \
	  export ConnectionStrings__Default="$$base;Database=buurtcentra_test" && \
	  dotnet build Buurtcentra.sln -c Release -v quiet -nologo && \
	  dotnet test tests/Buurtcentra.Tests -c Release --no-build --logger "console;verbosity=normal" | tee -a .data/test-output.log && \
	  dotnet test tests/Buurtcentra.EndToEnd -c Release --no-build --logger "console;verbosity=normal" | tee -a .data/test-output.log; \
	  status=$$?; \
	  awk '/^ +Passed: +[0-9]+$$/ {p += $$2} /^ +Failed: +[0-9]+$$/ {f += $$2} END {printf "%d passed, %d failed\n", p, f}' .data/test-output.log; \
	  exit $$status

bench: assets
	@base=$$(db/local-postgres.sh start) && \
	  export ConnectionStrings__Default="$$base;Database=buurtcentra_bench" && \
	  dotnet run --project tests/Buurtcentra.Benchmarks -c Release

## Only the voorkeursplanning scenario of the bench: a city-wide round in memory, no database (docs/bench.md).
bench-planning:
	dotnet run --project tests/Buurtcentra.Benchmarks -c Release -- --only planning

clean:
	-db/local-postgres.sh stop
	rm -rf .data node_modules $(VENDOR)
	dotnet clean Buurtcentra.sln -v quiet -nologo

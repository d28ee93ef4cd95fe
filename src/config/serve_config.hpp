#pragma once

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace ec2m::config {

// The REST API's HTTP limits and deadlines (ec2m.json "http"; http::ServerOptions documents each).
// The defaults hold against slow and idle clients while leaving real ones room.
struct HttpSettings {
  int64_t worker_threads = 16;  // handlers in flight at once (they block: store, cloud, argon2)
  int64_t max_queued = 1024;    // requests waiting for a worker; beyond: 503 + Retry-After
  int64_t max_header_bytes = 16384;
  int64_t max_headers = 100;
  int64_t header_timeout_ms = 10000;  // slowloris: the headers must come within this
  int64_t body_timeout_ms = 30000;
  int64_t idle_timeout_ms = 60000;     // keep-alive between requests
  int64_t request_timeout_ms = 60000;  // a whole request, read and answered
  int64_t max_connections = 10000;
  // Each signed-in user's requests (each address's, for requests that sign in no one): a burst,
  // then this many a second; beyond, 429 with Retry-After. 0 = no limit. Health checks are free.
  int64_t rate_limit_per_second = 100;
  int64_t rate_limit_burst = 200;
};

// The settings of `ec2m serve` (ec2m.json). Every key is optional; unknown keys are errors.
struct ServeConfig {
  std::string listen = "127.0.0.1:8080";    // the REST API and the console
  std::string data_dir = "ec2m-data";       // the SQLite store, the simulated regions' state
  std::string store = "sqlite";             // sqlite | postgres
  std::string store_url;                    // postgres: a libpq URI; the password may come from
                                            // PGPASSWORD instead
  std::string environments_dir = "config";  // one <name>.json per environment
  std::string tls_cert;                     // PEM files; both or neither: HTTPS when set
  std::string tls_key;
  std::string ec2_listen = "127.0.0.1:4566";  // the embedded region's EC2 Query API; "" = off
  std::string log_format = "json";            // json | text (access and event logs on stderr)
  bool access_log = true;                     // one line per request on stderr
  int64_t max_body_bytes = 1 << 20;
  HttpSettings http;
  int64_t reconcile_seconds = 30;         // how often the instance inventory is refreshed
  int64_t alarm_evaluation_seconds = 60;  // how often alarms are evaluated (1..3600)
  int64_t collector_seconds = 900;        // how often the fleet's metrics are collected
  // An apply whose process stops renewing its environment's lock this long is taken for dead:
  // its lock is taken over and its change set resumed.
  int64_t apply_lease_seconds = 30;
  // A sim config file (`ec2m sim serve --config`'s format) whose delays and faults the embedded
  // regions take; their region and account come from the environments.
  std::string sim_config;
  std::string console_dir;  // the built console (web/dist); "" = found next to the binary
  std::string admin_email = "admin@ec2m.local";  // the first admin, created on first start
  bool demo = false;  // on first start, launch a few instances into the simulated environments
  // The key file (auth/keyring.hpp): seals secrets at rest and signs the audit head. "" = ec2m.keys
  // in the data dir, created on first start. Replicas sharing one database share one key file.
  std::string key_file;
  // The embedded EC2 endpoint's credentials: a JSON file {"access_key_id", "secret_access_key",
  // "admin_key"} (mode 0600). "" = ec2-credentials.json in the data dir, generated on first start;
  // an ec2_listen on an address other than loopback needs this set (explicit keys).
  std::string ec2_credentials;
  // When set, GET /metrics needs "Authorization: Bearer <metrics_token>" (the environment
  // variable EC2M_METRICS_TOKEN takes precedence, so the file need not hold it).
  std::string metrics_token;
  int64_t ready_check_seconds = 15;  // how often /health/ready's checks run (answers are cached)
};

// Parses ec2m.json's text; `source` names it in errors. Errors: kInvalidArgument naming the file,
// the JSON path and what was wrong ("ec2m.json: $.store: expected one of sqlite, postgres, got
// \"mysql\""); TLS with only one of cert and key; postgres without store_url.
Result<ServeConfig> ParseServeConfig(std::string_view text, const std::string& source);

// Reads and parses the file. Errors: as ParseServeConfig; kInvalidArgument when unreadable.
Result<ServeConfig> LoadServeConfig(const std::string& path);

}  // namespace ec2m::config

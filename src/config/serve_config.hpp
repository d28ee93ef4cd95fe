#pragma once

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace ec2m::config {

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
};

// Parses ec2m.json's text; `source` names it in errors. Errors: kInvalidArgument naming the file,
// the JSON path and what was wrong ("ec2m.json: $.store: expected one of sqlite, postgres, got
// \"mysql\""); TLS with only one of cert and key; postgres without store_url.
Result<ServeConfig> ParseServeConfig(std::string_view text, const std::string& source);

// Reads and parses the file. Errors: as ParseServeConfig; kInvalidArgument when unreadable.
Result<ServeConfig> LoadServeConfig(const std::string& path);

}  // namespace ec2m::config

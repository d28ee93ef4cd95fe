#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ec2m::app {

// Options of `ec2m incidents ...`.
struct IncidentOptions {
  std::string server;  // --server; else the saved session's
  std::string id;
  std::string severity;            // open: P1..P4; list: a filter
  std::string title;               // open
  std::string environment;         // open: the incident's (default prod); list: a filter
  std::string service;             // open
  std::string description;         // open
  std::string commander;           // assign
  std::vector<std::string> words;  // note: the text
  std::string status;              // status: identified | monitoring; list: open|resolved|all
  std::string root_cause;          // resolve
  std::string resolution;          // resolve
  std::string postmortem;          // resolve
  std::string output;              // list: table|json|text; show: text|json
  int limit = 100;                 // list
};

// `ec2m incidents open|ack|assign|note|status|resolve|list|show` through the server the CLI is
// signed in to (or --server). `open` prints the new incident's id alone (for scripts); a bad flag
// value is refused before any request, naming the flag (exit 2); request errors exit as every
// command (cli/exit_codes.hpp).
void AddIncidentCommands(CLI::App& app, IncidentOptions& options, int& exit_code);

}  // namespace ec2m::app

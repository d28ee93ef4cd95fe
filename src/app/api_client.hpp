#pragma once

#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/table.hpp"
#include "cloud/aws/http_client.hpp"
#include "core/error.hpp"

// The `ec2m` CLI's side of the REST API: where the server and the token are kept, and one call.
namespace ec2m::app {

// What `ec2m login` keeps: $EC2M_CONFIG_DIR, else $XDG_CONFIG_HOME/ec2m, else ~/.config/ec2m,
// file credentials.json, mode 0600.
struct Session {
  std::string server;  // "http://127.0.0.1:8080"
  std::string token;
  std::string email;
};

std::string SessionPath();
// The saved session, overridden by EC2M_SERVER / EC2M_TOKEN (CI with an API token) and then by
// `server_flag`. Errors: kUnauthenticated "not signed in: run ec2m login" when there is no token.
Result<Session> LoadSession(const std::string& server_flag);
// Writes the file with mode 0600 (created so, never widened). Errors: kUnavailable naming it.
Result<void> SaveSession(const Session& session);
Result<void> ForgetSession();

class ApiClient {
 public:
  ApiClient(std::string server, std::string token);

  // METHOD path (with query) and JSON body; the answer's JSON (null for 204), or the server's
  // error as an Error with its code and message, or kUnavailable when nothing answered.
  Result<nlohmann::json> Call(const std::string& method, const std::string& path,
                              const nlohmann::json& body = nullptr);

 private:
  std::string server_;
  std::string token_;
  aws::HttpClient http_;
};

// A client of the server the CLI is signed in to (or `server_flag`'s). Errors: LoadSession's.
Result<std::unique_ptr<ApiClient>> ConnectSignedIn(const std::string& server_flag);

// A read command's request: what CallAndPrint sends and how it shows the answer.
struct ReadRequest {
  std::string server_flag;  // --server
  std::string output;       // --output: table, json or text
  std::string method = "GET";
  std::string path;
  nlohmann::json body;
  // With -o json, only this key of the answer ("items" for lists); "" = the whole answer.
  std::string json_key;
  // Rewrites the server's error before it is reported (to name the CLI's flag, say).
  std::function<Error(Error)> fix_error;
};
using Printer = std::function<int(const nlohmann::json& answer, cli::OutputFormat format)>;

// The shape of every read command: parses --output, calls the signed-in server, reports its
// error with its exit code, and prints the answer: as JSON with -o json, else with `print`.
// Returns the exit code.
int CallAndPrint(const ReadRequest& request, const Printer& print);

// j[key] as text for tables: strings as they are, null or absent as "", anything else as JSON.
std::string JsonField(const nlohmann::json& j, const char* key);

// The REST API's {"code","message","request_id"} as an Error (an unknown code reads as internal).
Error ErrorFromJson(const nlohmann::json& error);

// "a b" → "a%20b", for query values and path segments.
std::string UrlEncode(const std::string& text);

}  // namespace ec2m::app

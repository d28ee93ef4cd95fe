#pragma once

#include <map>
#include <memory>
#include <string>

#include "cloud/query/dispatch.hpp"
#include "core/clock.hpp"
#include "core/ec2.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "http/server.hpp"

namespace ec2m::sim {

class SimRegion;

// The HTTP endpoint of a simulated EC2 region: the EC2 Query API (POST / with a form body, or GET /
// with the parameters in the query string), SigV4-verified against a fixed set of credentials, and
// admin endpoints under /_ec2m/ for tests and operators.
//
// Query API: every request gets a fresh request id (a UUID from `random`), also sent as the
// x-amzn-RequestId header; responses are text/xml;charset=UTF-8 with EC2's status for each error
// (query/errors.hpp). Order of checks: signature (MissingAuthenticationToken, IncompleteSignature,
// AuthFailure; the credential scope must name this region and service "ec2"), form decoding
// (MalformedQueryString), then query::Dispatch (MissingAction, InvalidAction, parameter and id
// shape errors) before the region is called, so a bad request never changes state.
//
// Admin (JSON), each requiring the header `X-Ec2m-Admin-Key: <the admin key>` (set_admin_key; by
// default the secret of any credential) (401 otherwise): GET /_ec2m/health →
// {"status":"ok","region":..,"instances":N}; POST /_ec2m/reset; GET /_ec2m/faults; PUT
// /_ec2m/faults (sim::ParseFaultConfig; 400 naming the problem, nothing changed). Errors are
// {"error":{"code":"invalid_argument","message":".."}}. Without a SimRegion, health omits
// "instances" and the other admin endpoints answer 404.
//
// Owns its HTTP server and listener thread; borrows everything else, which must outlive it.
// Thread-safe: requests are served by http::Server (event loops, a bounded worker pool, a limit
// and a deadline on every read); Listen and Stop may be called from any thread.
class QueryServer {
 public:
  // access key id → secret access key
  using CredentialMap = std::map<std::string, std::string, std::less<>>;
  // EC2's largest page: about 1.6 MB of XML per window.
  static constexpr int kDefaultDescribeWindow = 1000;

  // `admin` may be null (no admin endpoints beyond health). `region` is the region name the
  // credential scope must carry ("us-west-2").
  QueryServer(Ec2& ec2, SimRegion* admin, CredentialMap credentials, const Clock& clock,
              Random& random, std::string region);
  ~QueryServer();  // Stop()s.
  QueryServer(const QueryServer&) = delete;
  QueryServer& operator=(const QueryServer&) = delete;

  // Makes `key` the only one the admin endpoints take (ec2m serve's embedded endpoint: a key of
  // its own, distinct from the secret). Unset, the secret key of any credential is taken (`ec2m
  // sim serve`'s documented default). REQUIRES: called before Listen.
  void set_admin_key(std::string key) { admin_key_ = std::move(key); }

  // Instances per window of a streamed DescribeInstances (query::DispatchStreamed): an answer
  // larger than one window is sent with chunked transfer encoding as the region is read, so the
  // endpoint's memory is bounded by a window, not by the answer. Tests set small windows; the
  // default suits real use. REQUIRES: 0 < instances, called before Listen.
  void set_describe_window(int instances) { describe_window_ = instances; }

  // Binds host:port (port 0: an ephemeral port) and serves in a background thread; returns the
  // bound port once the server accepts connections.
  // Errors: kFailedPrecondition when already listening; kUnavailable when the address cannot be
  // bound.
  Result<int> Listen(const std::string& host, int port);

  // Stops accepting, lets requests in flight finish, joins the listener thread. Idempotent.
  void Stop();

 private:
  void Handle(const http::Request& req, http::Response& res);
  void HandleQuery(const http::Request& req, http::Response& res);
  void HandleAdmin(const http::Request& req, http::Response& res);
  bool IsAdminKey(const std::string& key) const;
  Result<void> Authenticate(const http::Request& req) const;
  // An EC2 answer (the XML body, moved out of `out`, its status and request id).
  void Reply(query::QueryResponse& out, const std::string& request_id, http::Response& res) const;

  Ec2& ec2_;
  SimRegion* admin_;
  const CredentialMap credentials_;
  const Clock& clock_;
  Random& random_;
  const std::string region_;
  std::string admin_key_;  // "" = any credential's secret
  int describe_window_ = kDefaultDescribeWindow;

  http::Server http_;
};

}  // namespace ec2m::sim

// DispatchStreamed: a DescribeInstances of everything read and written a window at a time, so
// that a large answer (100,000 instances: 156 MB of XML) is sent while it is read instead of being
// built whole first (which peaked at 558 MiB of RSS).

#include <utility>

#include "cloud/query/dispatch.hpp"
#include "cloud/query/requests.hpp"
#include "cloud/query/response_common.hpp"
#include "cloud/query/responses.hpp"

namespace ec2m::query {

namespace {

// One DescribeInstances answer being read from the region window by window. Copyable, as
// std::function wants its target to be (it is moved, never copied).
class WindowedDescribe {
 public:
  WindowedDescribe(Ec2& ec2, DescribeRequest req, std::string_view request_id, int window)
      : ec2_(&ec2),
        req_(std::move(req)),
        window_(window),
        writer_(request_id, 512 + internal::kInstanceXmlEstimate * static_cast<size_t>(window)) {}

  // Reads the next window and writes it (after the last, the closing tags too); returns whether
  // another window follows.
  Result<bool> Read() {
    auto page = ec2_->DescribeInstancesWindow(req_, window_);
    EC2M_RETURN_IF_ERROR(page);
    writer_.Add(page->items);
    if (page->next_token.empty()) {
      writer_.End("");
      return false;
    }
    if (page->next_token == req_.next_token) {  // would never end
      return Fail(ErrorCode::kInternal,
                  "DescribeInstances: the region answered the same NextToken twice");
    }
    req_.next_token = std::move(page->next_token);
    return true;
  }

  std::string Take() { return writer_.Take(); }
  void TakeInto(std::string& out) { writer_.TakeInto(out); }

 private:
  Ec2* ec2_;
  DescribeRequest req_;  // next_token: where the next window starts
  int window_;
  DescribeInstancesWriter writer_;
};

QueryResponse StreamDescribeInstances(Ec2& ec2, DescribeRequest req, std::string_view request_id,
                                      int window) {
  WindowedDescribe reader(ec2, std::move(req), request_id, window);
  // The first window before answering: the errors the request causes become an error answer.
  auto more = reader.Read();
  if (!more) {
    return ErrorResponse(more.error(), request_id);
  }
  if (!*more) {
    return QueryResponse{200, reader.Take(), nullptr};
  }
  QueryResponse out;
  out.stream = [reader = std::move(reader),
                first = true](std::string& piece) mutable -> Result<bool> {
    bool more = true;  // the first window, read above, has a next one
    if (!first) {
      auto read = reader.Read();
      EC2M_RETURN_IF_ERROR(read);
      more = *read;
    }
    first = false;
    reader.TakeInto(piece);
    return more;
  };
  return out;
}

}  // namespace

QueryResponse DispatchStreamed(Ec2& ec2, const Params& params, std::string_view request_id,
                               int window) {
  const std::string* action = params.Find("Action");
  if (action == nullptr || *action != "DescribeInstances") {
    return Dispatch(ec2, params, request_id);
  }
  auto req = ParseDescribeInstances(params);
  if (!req) {
    return ErrorResponse(req.error(), request_id);
  }
  if (req->max_results) {  // a page the client asked for: whole, as the region pages it
    return Dispatch(ec2, params, request_id);
  }
  return StreamDescribeInstances(ec2, std::move(*req), request_id, window);
}

}  // namespace ec2m::query

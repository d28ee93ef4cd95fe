#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/notifier.hpp"
#include "notify/channel.hpp"

// How a notification looks on each kind of channel. Pure functions: no I/O, no clock of their
// own (the caller passes the time).
namespace ec2m::notify {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The notification as JSON: {"id","kind","environment","severity","title","text","fields",
// "channels"}; the generic webhook's body and the outbox's stored form.
nlohmann::json NotificationJson(const Notification& n);
// Back from NotificationJson's form. Errors: kInvalidArgument naming the key.
Result<Notification> NotificationFromJson(const nlohmann::json& j);

// The specification's payload fields first (environment, status, branch, author, commit,
// workflow_url, where present), then the other fields in key order. "environment" comes from
// the notification when its fields do not carry one.
std::vector<std::pair<std::string, std::string>> PayloadFields(const Notification& n);

// A Slack incoming webhook's body: a fallback "text" and "blocks" (a header, the text, the
// payload fields as a section's fields, a context line with the severity and id).
std::string SlackBody(const Notification& n);

// A Microsoft Teams connector's MessageCard: title, text, a colour by severity, the payload
// fields as facts, and a link to workflow_url when there is one.
std::string TeamsBody(const Notification& n);

// An RFC 5322 message (CRLF line ends): Date, From, To, Subject (the title, RFC 2047-encoded
// when not ASCII), Message-ID <id@ec2m> (derived from the notification id, so a resent mail is
// recognisably the same), a UTF-8 text body with the payload fields.
std::string EmailMessage(const Channel& channel, const Notification& n, TimePoint now);

// A generic webhook's signature: "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body).
std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body);
// The generic webhook's headers for `body` sent at `now`: Content-Type, X-Ec2m-Delivery (the
// notification id), X-Ec2m-Timestamp (Unix seconds), X-Ec2m-Signature.
Headers WebhookHeaders(const Channel& channel, const Notification& n, const std::string& body,
                       TimePoint now);

// GitHub: the deployment state a notification's fields["status"] maps to (success, failure,
// error, in_progress, queued, pending; "cancelled" → error). Errors: kInvalidArgument for a
// missing or unknown status.
Result<std::string> GithubState(const Notification& n);
// The body of POST {api}/repos/{owner}/{repo}/deployments: ref = commit (else branch),
// environment, auto_merge false, required_contexts [] (deploy whatever the checks say; ec2m is
// reporting, not gating), a description and the notification id in the payload. Errors:
// kInvalidArgument when neither commit nor branch is given.
Result<std::string> GithubDeploymentBody(const Notification& n);
// The body of POST .../deployments/{id}/statuses: state, log_url = workflow_url, description,
// environment. Errors: GithubState's.
Result<std::string> GithubStatusBody(const Notification& n);
// Accept, Authorization, X-GitHub-Api-Version and User-Agent (GitHub refuses requests without).
Headers GithubHeaders(const Channel& channel);

}  // namespace ec2m::notify

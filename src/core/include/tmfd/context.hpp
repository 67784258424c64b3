#pragma once
// Who asked for a change, and under which correlation id: given to every hook, unit of work,
// reaction and timer, recorded on every change and carried in its events.
#include <string>
#include <vector>

namespace tmfd {

// The acting principal. Anonymous (empty subject) until an authentication filter fills it.
struct Principal {
  std::string subject;             // the token's `sub`, or a service name for kernel-started work
  std::vector<std::string> roles;  // granted roles, as the security layer maps them
  std::string client_id;           // the OAuth2 client (azp / client_id claim)

  bool anonymous() const noexcept { return subject.empty(); }
};

struct RequestContext {
  std::string correlation_id;  // X-Correlation-ID of the request (or of the event that caused the work)
  Principal principal;
  std::string received_at;     // when the request arrived, ISO 8601 UTC with milliseconds
  // Set by an authorization filter to confine the request to some resources: TMF630 attribute
  // filters in the query syntax (e.g. "relatedParty.id=42"), AND-ed. The engine adds them to a
  // list's filters; a read, change or delete of a resource outside them answers 404 as if it did
  // not exist; a create, or a change that would leave them, answers 403. Empty: no restriction.
  std::string resource_filter;
};

} // namespace tmfd

#include "token_validator.hpp"

#include <algorithm>
#include <cstdint>
#include <mutex>

#include <tmfd/json.hpp>

#include "base64url.hpp"

namespace tmfd::security {

namespace {

std::optional<json::object> json_part(std::string_view encoded) {
  auto bytes = base64url_decode(encoded);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*bytes, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::string string_claim(const json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// A NumericDate (seconds since the epoch; JSON may write it with a fraction).
std::optional<std::int64_t> date_claim(const json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), INT64_MAX));
  if (v->is_double()) return static_cast<std::int64_t>(v->get_double());
  return std::nullopt;
}

// The value at a dotted path ("realm_access.roles"), or null.
const json::value* at_path(const json::object& o, std::string_view path) {
  const json::object* obj = &o;
  while (true) {
    const auto dot = path.find('.');
    const auto* v = obj->if_contains(path.substr(0, dot));
    if (!v || dot == std::string_view::npos) return v;
    if (!v->is_object()) return nullptr;
    obj = &v->as_object();
    path.remove_prefix(dot + 1);
  }
}

void add_role(std::vector<std::string>& roles, std::string_view role) {
  if (!role.empty() && std::find(roles.begin(), roles.end(), role) == roles.end()) roles.emplace_back(role);
}

// Roles from a claim: an array of strings, or a space-separated string (as `scope` is written).
void add_roles(std::vector<std::string>& roles, const json::value* claim) {
  if (!claim) return;
  if (claim->is_array()) {
    for (const auto& r : claim->as_array())
      if (r.is_string()) add_role(roles, r.get_string());
  } else if (claim->is_string()) {
    std::string_view s = claim->get_string();
    while (!s.empty()) {
      const auto space = s.find(' ');
      add_role(roles, s.substr(0, space));
      if (space == std::string_view::npos) break;
      s.remove_prefix(space + 1);
    }
  }
}

bool names_audience(const json::object& payload, const std::vector<std::string>& accepted) {
  const auto* aud = payload.if_contains("aud");
  if (!aud) return false;
  auto accepted_one = [&](const json::value& v) {
    return v.is_string() && std::find(accepted.begin(), accepted.end(), v.get_string()) != accepted.end();
  };
  if (aud->is_array()) return std::any_of(aud->as_array().begin(), aud->as_array().end(), accepted_one);
  return accepted_one(*aud);
}

} // namespace

TokenValidator::TokenValidator(ValidationSettings settings, KeyCache& keys)
    : settings_(std::move(settings)), keys_(keys) {}

std::variant<std::shared_ptr<const Caller>, Refusal> TokenValidator::validate(std::string_view token, std::int64_t now) {
  if (settings_.cache_entries > 0) {
    std::shared_lock lock(cache_mutex_);
    auto it = cache_.find(std::string(token));
    if (it != cache_.end() && now <= it->second->expires_at + settings_.clock_skew_seconds) return it->second;
  }
  auto verdict = verify(token, now);
  if (auto* caller = std::get_if<std::shared_ptr<const Caller>>(&verdict)) remember(token, *caller, now);
  return verdict;
}

void TokenValidator::remember(std::string_view token, std::shared_ptr<const Caller> caller, std::int64_t now) {
  if (settings_.cache_entries == 0) return;
  std::unique_lock lock(cache_mutex_);
  if (cache_.size() >= settings_.cache_entries) {
    // Full: drop what expired; if that frees nothing, start over (a bounded cache, not an LRU:
    // a full cache only costs one verification per token).
    for (auto it = cache_.begin(); it != cache_.end();)
      it = now > it->second->expires_at + settings_.clock_skew_seconds ? cache_.erase(it) : std::next(it);
    if (cache_.size() >= settings_.cache_entries) cache_.clear();
  }
  cache_.emplace(std::string(token), std::move(caller));
}

std::variant<std::shared_ptr<const Caller>, Refusal> TokenValidator::verify(std::string_view token, std::int64_t now) {
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return Refusal{"malformed token"};
  auto header = json_part(token.substr(0, dot1));
  auto payload = json_part(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!header || !payload) return Refusal{"malformed token"};

  const auto alg_name = string_claim(*header, "alg");
  if (alg_name.empty()) return Refusal{"malformed token"};
  if (alg_name == "none") return Refusal{"unsigned tokens are not accepted"};
  if (alg_name.rfind("HS", 0) == 0) return Refusal{"HMAC-signed tokens are not accepted"};
  const auto alg = algorithm_named(alg_name);
  if (!alg) return Refusal{"signature algorithm not accepted"};

  // RFC 7515 4.1.11: a token whose header lists critical extensions tmfd does not know is refused.
  if (header->contains("crit")) return Refusal{"unsupported critical header"};

  const auto iss = string_claim(*payload, "iss");
  std::size_t issuer = 0;
  while (issuer < settings_.issuers.size() && settings_.issuers[issuer].issuer != iss) ++issuer;
  if (issuer == settings_.issuers.size()) return Refusal{"untrusted issuer"};

  auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!signature || signature->empty()) return Refusal{"malformed token"};
  const auto* kid_value = header->if_contains("kid");
  if (kid_value && !kid_value->is_string()) return Refusal{"malformed token"};
  const std::string kid = kid_value ? std::string(kid_value->get_string()) : std::string();

  // Keys the token may be signed with: the one it names, or (no kid) every key of its type.
  const auto keys = keys_.keys(issuer);
  bool known = false, valid = false;
  const auto signing_input = token.substr(0, dot2);
  for (const auto& key : *keys) {
    if ((kid_value && key->kid() != kid) || !key->fits(*alg)) continue;
    known = true;
    if (key->verify(*alg, signing_input, *signature)) {
      valid = true;
      break;
    }
  }
  if (!known) {
    keys_.request_refresh(issuer);  // maybe rotated in since the last fetch
    return Refusal{"unknown signing key"};
  }
  if (!valid) return Refusal{"bad signature"};

  const auto exp = date_claim(*payload, "exp");
  if (!exp) return Refusal{"token has no expiry"};
  if (now > *exp + settings_.clock_skew_seconds) return Refusal{"token expired"};
  if (payload->contains("nbf")) {
    const auto nbf = date_claim(*payload, "nbf");
    if (!nbf) return Refusal{"malformed token"};
    if (now + settings_.clock_skew_seconds < *nbf) return Refusal{"token not yet valid"};
  }
  if (!names_audience(*payload, settings_.issuers[issuer].audiences)) return Refusal{"wrong audience"};

  auto caller = std::make_shared<Caller>();
  caller->principal.client_id = string_claim(*payload, "azp");
  if (caller->principal.client_id.empty()) caller->principal.client_id = string_claim(*payload, "client_id");
  caller->principal.subject = string_claim(*payload, "sub");
  if (caller->principal.subject.empty()) caller->principal.subject = caller->principal.client_id;
  if (caller->principal.subject.empty()) return Refusal{"token names no subject"};
  for (const auto& claim : settings_.role_claims) add_roles(caller->principal.roles, at_path(*payload, claim));
  if (!settings_.party_claim.empty())
    if (const auto* party = at_path(*payload, settings_.party_claim); party && party->is_string())
      caller->party_id = std::string(party->get_string());
  caller->expires_at = *exp;
  return std::shared_ptr<const Caller>(std::move(caller));
}

} // namespace tmfd::security

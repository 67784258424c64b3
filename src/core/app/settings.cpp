#include "app/settings.hpp"

#include <boost/asio/ip/address.hpp>

namespace tmfd::app {

namespace {

const json::object& section(const json::object& root, std::string_view key) {
  static const json::object empty;
  auto* v = root.if_contains(key);
  return v && v->is_object() ? v->get_object() : empty;
}

std::int64_t integer(const json::object& o, std::string_view key, std::int64_t fallback) {
  auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : fallback;
}

std::string text(const json::object& o, std::string_view key, std::string fallback = {}) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : fallback;
}

bool flag(const json::object& o, std::string_view key, bool fallback) {
  auto* v = o.if_contains(key);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

void collect_enabled(const json::object& blocks, const std::string& section_name,
                     std::vector<EnabledPlugin>& out, std::string_view skip_key = {}) {
  for (const auto& kv : blocks) {
    if (kv.key() == skip_key || !kv.value().is_object()) continue;
    if (flag(kv.value().get_object(), "enabled", true)) out.push_back({std::string(kv.key()), section_name});
  }
}

} // namespace

Settings read_settings(const json::object& root) {
  Settings s;
  const auto& server = section(root, "server");
  s.host = text(server, "host", "127.0.0.1");
  s.port = static_cast<std::uint16_t>(integer(server, "port", 8080));
  s.threads = static_cast<int>(integer(server, "threads", 2));
  s.allow_unauthenticated_remote = flag(server, "allow_unauthenticated_remote", false);
  s.shutdown_grace_ms = integer(server, "shutdown_grace_ms", 10000);
  s.limits.max_connections = static_cast<std::size_t>(integer(server, "max_connections", 10000));
  s.limits.max_body_bytes = static_cast<std::uint64_t>(integer(server, "max_body_bytes", 1 << 20));
  s.limits.max_header_bytes = static_cast<std::uint32_t>(integer(server, "max_header_bytes", 16384));
  s.limits.header_timeout = std::chrono::milliseconds(integer(server, "header_timeout_ms", 10000));
  s.limits.read_timeout = std::chrono::milliseconds(integer(server, "read_timeout_ms", 30000));
  s.limits.idle_timeout = std::chrono::milliseconds(integer(server, "idle_timeout_ms", 60000));
  s.plain_http = flag(server, "plain_http", true);
  const auto& tls = section(server, "tls");
  if (!text(tls, "certificate_file").empty()) {
    TlsListener t;
    t.host = text(tls, "host", s.host);
    t.port = static_cast<std::uint16_t>(integer(tls, "port", 8443));
    t.options.certificate_file = text(tls, "certificate_file");
    t.options.key_file = text(tls, "key_file");
    t.options.key_password = text(tls, "key_password");
    const auto clients = text(tls, "client_certificates", "none");
    t.options.client_certificates = clients == "require"    ? http::ClientCertificates::require
                                    : clients == "optional" ? http::ClientCertificates::optional
                                                            : http::ClientCertificates::none;
    t.options.client_ca_file = text(tls, "client_ca_file");
    t.options.client_subject_field = text(tls, "client_subject_field", "CN");
    s.tls = std::move(t);
  }
  const auto& rate_limits = section(server, "rate_limits");
  auto rate_limit = [&rate_limits](std::string_view key) {
    const auto& o = section(rate_limits, key);
    return http::RateLimit{static_cast<std::uint32_t>(integer(o, "rate", 0)), static_cast<std::uint32_t>(integer(o, "burst", 0))};
  };
  s.rate_limits.per_address = rate_limit("per_address");
  s.rate_limits.per_principal = rate_limit("per_principal");
  s.rate_limits.max_keys = static_cast<std::size_t>(integer(rate_limits, "max_keys", 100000));
  s.engine.public_base_url = text(server, "public_base_url");
  while (!s.engine.public_base_url.empty() && s.engine.public_base_url.back() == '/')
    s.engine.public_base_url.pop_back();

  const auto& storage = section(root, "storage");
  s.database.path = text(storage, "path", "tmfd.db");
  s.database.synchronous_full = text(storage, "synchronous", "full") == "full";
  s.database.max_group_size = static_cast<std::size_t>(integer(storage, "max_group_size", 512));
  s.database.busy_timeout_ms = static_cast<int>(integer(storage, "busy_timeout_ms", 5000));
  s.database.checkpoint_pages = static_cast<int>(integer(storage, "checkpoint_pages", 8000));
  s.database.stuck_writer_seconds = static_cast<int>(integer(storage, "stuck_writer_seconds", 30));

  const auto& logging = section(root, "logging");
  s.logging.level = observability::parse_level(text(logging, "level", "info"));
  s.logging.json = text(logging, "format", "text") == "json";
  s.logging.file = text(logging, "file");
  s.access_log = flag(logging, "access_log", true);

  const auto& delivery = section(root, "delivery");
  auto& d = s.delivery;
  if (auto* list = delivery.if_contains("allowed_callbacks"); list && list->is_array())
    for (const auto& entry : list->get_array())
      if (entry.is_string()) d.allowed_callbacks.emplace_back(entry.get_string());
  d.connections_per_subscription = static_cast<std::size_t>(integer(delivery, "connections_per_subscription", 4));
  d.batch_size = static_cast<std::size_t>(integer(delivery, "batch_size", 256));
  d.connect_timeout = std::chrono::milliseconds(integer(delivery, "connect_timeout_ms", 2000));
  d.request_timeout = std::chrono::milliseconds(integer(delivery, "request_timeout_ms", 5000));
  d.max_attempts = static_cast<int>(integer(delivery, "max_attempts", 30));
  d.max_age = std::chrono::seconds(integer(delivery, "max_age_seconds", 86400));
  d.backoff_initial = std::chrono::milliseconds(integer(delivery, "backoff_initial_ms", 200));
  d.backoff_max = std::chrono::milliseconds(integer(delivery, "backoff_max_ms", 60000));
  d.ca_file = text(delivery, "ca_file");
  d.prune_interval = std::chrono::milliseconds(integer(delivery, "prune_interval_ms", 1000));
  d.outbox_retention = std::chrono::seconds(integer(delivery, "outbox_retention_seconds", 300));

  const auto& resources = section(root, "resources");
  s.engine.default_page_size = static_cast<std::size_t>(integer(resources, "default_page_size", 100));
  s.engine.max_page_size = static_cast<std::size_t>(integer(resources, "max_page_size", 1000));
  s.engine.max_resource_bytes = static_cast<std::size_t>(integer(resources, "max_resource_bytes", 1 << 20));

  const auto& history = section(root, "history");
  s.history.enabled = flag(history, "enabled", true);
  s.history.retention = std::chrono::seconds(integer(history, "retention_seconds", 0));
  s.history.prune_interval = std::chrono::milliseconds(integer(history, "prune_interval_ms", 60000));
  s.history.prune_batch = static_cast<std::size_t>(integer(history, "prune_batch", 500));
  s.engine.record_history = s.history.enabled;

  const auto& plugins = section(root, "plugins");
  s.plugin_directory = text(plugins, "directory", "plugins");
  collect_enabled(section(root, "modules"), "modules", s.enabled);
  collect_enabled(plugins, "plugins", s.enabled, "directory");
  return s;
}

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(host, ec);
  return !ec && addr.is_loopback();
}

} // namespace tmfd::app

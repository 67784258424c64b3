#include "config/core_schema.hpp"

#include <optional>
#include <stdexcept>
#include <utility>

#include "config/config_loader.hpp"

namespace tmfd::config {

namespace {

// Small builders so that the schema below reads like the documentation of the file.

Field text(std::string name, std::string description, json::value default_value = nullptr,
           std::vector<std::string> allowed = {}) {
  Field f;
  f.name = std::move(name);
  f.type = Type::String;
  f.description = std::move(description);
  f.default_value = std::move(default_value);
  f.allowed = std::move(allowed);
  return f;
}

Field integer(std::string name, std::string description, std::int64_t default_value,
              std::optional<std::int64_t> min, std::optional<std::int64_t> max = std::nullopt) {
  Field f;
  f.name = std::move(name);
  f.type = Type::Integer;
  f.description = std::move(description);
  f.default_value = default_value;
  f.min = min;
  f.max = max;
  return f;
}

Field boolean(std::string name, std::string description, bool default_value) {
  Field f;
  f.name = std::move(name);
  f.type = Type::Boolean;
  f.description = std::move(description);
  f.default_value = default_value;
  return f;
}

Field object(std::string name, std::string description, Schema children) {
  Field f;
  f.name = std::move(name);
  f.type = Type::Object;
  f.description = std::move(description);
  f.children = std::move(children);
  return f;
}

Field enabled_field() {
  return boolean("enabled", "false keeps the module or plugin from being loaded", true);
}

// A module or plugin block as the root validation sees it: `enabled`, anything else deferred.
Field deferred_block() {
  return object("", "a module or plugin block", {enabled_field(), deferred_keys()});
}

Field secret_text(std::string name, std::string description) {
  Field f = text(std::move(name), std::move(description));
  f.secret = true;
  return f;
}

Field tls() {
  return object(
      "tls", "an HTTPS listener; on when certificate_file is set",
      {text("host", "address to listen on; absent: server.host"),
       integer("port", "TCP port of the HTTPS listener; 0 picks a free one", 8443, 0, 65535),
       text("certificate_file", "PEM certificate chain: the server's certificate first, then intermediates"),
       text("key_file", "PEM private key of the certificate"),
       secret_text("key_password", "password of an encrypted key_file"),
       text("client_certificates", "ask clients for a certificate (mutual TLS)", "none", {"none", "optional", "require"}),
       text("client_ca_file", "PEM CA bundle client certificates must chain to"),
       text("client_subject_field", "subject attribute of a client certificate that names the principal", "CN")});
}

Field rate_limit(std::string name, std::string description) {
  return object(std::move(name), std::move(description),
                {integer("rate", "requests per second allowed on average; 0: no limit", 0, 0, 1000000),
                 integer("burst", "requests allowed at once after a quiet time; 0: the rate", 0, 0, 10000000)});
}

Field rate_limits() {
  return object(
      "rate_limits", "requests per second per client, answered 429 with Retry-After beyond; off by default",
      {rate_limit("per_address", "per client IP address (the proxy's behind one), every route"),
       rate_limit("per_principal", "per authenticated principal, after authentication; not health or metrics"),
       integer("max_keys", "addresses (and principals) tracked at most per limit; idle ones are forgotten first",
               100000, 16)});
}

Field server() {
  return object(
      "server", "the HTTP front",
      {text("host", "address to listen on", "127.0.0.1"),
       integer("port", "TCP port to listen on; 0 picks a free one", 8080, 0, 65535),
       integer("threads", "I/O threads", 2, 1, 256),
       integer("max_connections", "open connections beyond which new ones are refused", 10000, 1),
       integer("max_body_bytes", "largest accepted request body", 1048576, 1),
       // At most 64 KiB: Beast holds one header field value in at most 65,533 bytes.
       integer("max_header_bytes", "largest accepted request header block, and chunked trailer", 16384, 1024, 65536),
       integer("header_timeout_ms", "time allowed to receive a request's head from its first byte, and a TLS handshake",
               10000, 1),
       integer("read_timeout_ms", "time allowed to receive a request's body after its head, and to send a response", 30000, 1),
       integer("idle_timeout_ms", "keep-alive connections idle longer are closed", 60000, 1),
       integer("shutdown_grace_ms", "time given to requests in flight on shutdown", 10000, 0),
       text("public_base_url", "scheme://host[:port] prefixed to href and Location; absent: relative hrefs"),
       boolean("allow_unauthenticated_remote",
               "serve non-loopback clients without authentication", false),
       boolean("plain_http", "serve plain HTTP on host:port; false: only the tls listener", true),
       tls(),
       rate_limits()});
}

Field storage() {
  return object(
      "storage", "the SQLite database",
      {text("path", "database file", "tmfd.db"),
       // full: a 201 means the write survives a power cut; the group commit keeps fsyncs few.
       text("synchronous", "SQLite synchronous mode", "full", {"normal", "full"}),
       integer("max_group_size", "writes committed together in one transaction", 512, 1, 10000),
       integer("busy_timeout_ms", "how long a connection waits for a lock", 5000, 0),
       integer("checkpoint_pages", "write-ahead log size, in 4 KiB pages, from which it is checkpointed", 8000, 100,
               1000000),
       integer("stuck_writer_seconds", "/health/ready fails when one group of writes takes longer", 30, 1)});
}

Field logging() {
  return object("logging", "log output",
                {text("level", "lowest level written", "info",
                      {"trace", "debug", "info", "warning", "error"}),
                 text("format", "line format", "text", {"json", "text"}),
                 boolean("access_log", "log one line per HTTP request", true),
                 text("file", "log file; absent: stderr")});
}

Field resources() {
  return object(
      "resources", "listing of resources",
      {integer("default_page_size", "items per page when the client sets no limit", 100, 1, 10000),
       integer("max_page_size", "largest limit a client may ask for", 1000, 1),
       integer("max_resource_bytes", "largest stored resource (serialized JSON), after any patch", 1048576, 1024)});
}

Field text_list(std::string name, std::string description) {
  Field f;
  f.name = std::move(name);
  f.type = Type::StringList;
  f.description = std::move(description);
  f.default_value = json::array();
  return f;
}

Field delivery() {
  return object(
      "delivery", "event delivery to hub callbacks",
      {text_list("allowed_callbacks",
                 "hosts hub callbacks may point to: host, host:port, *.suffix or an IPv4 CIDR; empty: none"),
       integer("connections_per_subscription", "parallel keep-alive connections per hub", 4, 1, 64),
       integer("batch_size", "outbox entries read per step of a hub", 256, 1, 10000),
       integer("connect_timeout_ms", "time allowed to connect (and TLS handshake)", 2000, 1),
       integer("request_timeout_ms", "time allowed for a callback to answer", 5000, 1),
       integer("max_attempts", "failed attempts after which an event is dead-lettered", 30, 1),
       integer("max_age_seconds", "a failing event older than this is dead-lettered at once", 86400, 1),
       integer("backoff_initial_ms", "delay after the first failure; doubles, with jitter", 200, 1),
       integer("backoff_max_ms", "longest delay between attempts", 60000, 1),
       text("ca_file", "PEM CA bundle verifying https callbacks; absent: the system's"),
       integer("prune_interval_ms", "how often delivered outbox entries are deleted", 1000, 10),
       integer("outbox_retention_seconds", "delivered outbox entries are kept at least this long", 300, 0)});
}

Field history() {
  return object(
      "history", "audit log and data history: every version of every resource, and who changed it",
      {boolean("enabled", "record every change (audit log, asOf reads, /admin/history)", true),
       integer("retention_seconds", "versions replaced or deleted longer ago than this are removed; 0: kept forever",
               0, 0),
       integer("prune_interval_ms", "how often expired versions are removed", 60000, 10),
       integer("prune_batch", "versions removed per write (small: requests wait less behind it)", 500, 1, 100000)});
}

Field plugins() {
  return object("plugins", "adapter plugins: the directory, then one block per plugin",
                {text("directory", "where tmfd_<name>.so files are looked up", "plugins"),
                 other_keys(deferred_block())});
}

Field modules() {
  Field f;
  f.name = "modules";
  f.type = Type::Map;
  f.description = "one block per TMF module, keyed by module name";
  f.children = {deferred_block()};
  return f;
}

} // namespace

const Schema& core_schema() {
  static const Schema schema{server(), storage(), logging(), resources(), delivery(), history(), plugins(), modules()};
  return schema;
}

Schema module_block_schema(const Schema& module_schema) {
  Schema out{enabled_field()};
  for (const Field& f : module_schema) {
    if (f.name == "enabled")
      throw std::invalid_argument("a module schema must not declare 'enabled' (the kernel owns it)");
    out.push_back(f);
  }
  return out;
}

std::vector<std::string> block_names(const json::object& validated_root, std::string_view section) {
  std::vector<std::string> names;
  const auto it = validated_root.find(section);
  if (it == validated_root.end() || !it->value().is_object()) return names;
  for (const auto& kv : it->value().as_object()) {
    if (section == "plugins" && kv.key() == "directory") continue;
    names.emplace_back(kv.key());
  }
  return names;
}

} // namespace tmfd::config

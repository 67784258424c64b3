#include "producer.hpp"

#include <array>
#include <chrono>
#include <memory>
#include <stdexcept>

#include <tmfd/log.hpp>

namespace tmfd::kafka {

namespace {

constexpr const char* kTag = "kafka";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// `text` with every occurrence of `secret` replaced by "***" (librdkafka quotes refused values).
std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
    text.replace(pos, secret.size(), "***");
  return text;
}

// librdkafka's own log lines (syslog levels), from its internal threads.
void on_log(const rd_kafka_t* /*rk*/, int level, const char* facility, const char* text) {
  const log::Level l = level <= 2 ? log::Level::Error
                       : level <= 4 ? log::Level::Warning
                       : level <= 6 ? log::Level::Info
                                    : log::Level::Debug;
  if (!log::enabled(l)) return;
  log::write(l, kTag, text, {{"facility", facility}});
}

const char* persistence(const rd_kafka_message_t& m) {
  switch (rd_kafka_message_status(&m)) {
  case RD_KAFKA_MSG_STATUS_NOT_PERSISTED: return "not written";
  case RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED: return "possibly written";
  case RD_KAFKA_MSG_STATUS_PERSISTED: return "written";
  }
  return "unknown";
}

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* c) const { rd_kafka_conf_destroy(c); }
};

} // namespace

Producer::Producer(const std::vector<Property>& properties) {
  std::unique_ptr<rd_kafka_conf_t, ConfDeleter> conf(rd_kafka_conf_new());
  std::array<char, 512> err{};
  for (const Property& p : properties) {
    if (rd_kafka_conf_set(conf.get(), p.name.c_str(), p.value.c_str(), err.data(), err.size()) ==
        RD_KAFKA_CONF_OK)
      continue;
    const std::string why = p.secret ? redact(err.data(), p.value) : std::string(err.data());
    throw std::runtime_error("kafka: librdkafka refused the property " + p.name + ": " + why);
  }
  rd_kafka_conf_set_opaque(conf.get(), this);
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &Producer::on_delivery);
  rd_kafka_conf_set_error_cb(conf.get(), &Producer::on_error);
  rd_kafka_conf_set_log_cb(conf.get(), &on_log);
  // rd_kafka_new takes the configuration over only when it succeeds.
  rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), err.data(), err.size());
  if (!rk_) {
    std::string why = err.data();
    for (const Property& p : properties)
      if (p.secret) why = redact(why, p.value);
    throw std::runtime_error("kafka: cannot create the producer: " + why);
  }
  conf.release();
}

Producer::~Producer() {
  events_ = nullptr;  // the purged records are not failures of anything the caller still tracks
  rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_poll(rk_, 0);  // the purged messages' reports, while this object is whole
  rd_kafka_destroy(rk_);
}

// A record's opaque value is its ticket.
static_assert(sizeof(std::uintptr_t) >= 8, "the delivery-report ticket needs 64-bit pointers");

rd_kafka_resp_err_t Producer::produce(const Record& record, std::uint64_t ticket) {
  std::vector<rd_kafka_vu_t> vu;
  vu.reserve(5 + record.headers.size());
  auto add = [&vu](rd_kafka_vtype_t type) -> rd_kafka_vu_t& {
    vu.emplace_back();
    vu.back().vtype = type;
    return vu.back();
  };
  add(RD_KAFKA_VTYPE_TOPIC).u.cstr = record.topic->c_str();
  add(RD_KAFKA_VTYPE_MSGFLAGS).u.i = RD_KAFKA_MSG_F_COPY;
  add(RD_KAFKA_VTYPE_OPAQUE).u.ptr = reinterpret_cast<void*>(static_cast<std::uintptr_t>(ticket));
  if (!record.key.empty()) {
    auto& key = add(RD_KAFKA_VTYPE_KEY).u.mem;
    key.ptr = const_cast<char*>(record.key.data());
    key.size = record.key.size();
  }
  auto& value = add(RD_KAFKA_VTYPE_VALUE).u.mem;
  value.ptr = const_cast<char*>(record.value.data());
  value.size = record.value.size();
  for (const auto& [name, text] : record.headers) {
    auto& h = add(RD_KAFKA_VTYPE_HEADER).u.header;
    h.name = name;
    h.val = text.data();
    h.size = static_cast<ssize_t>(text.size());
  }
  rd_kafka_error_t* error = rd_kafka_produceva(rk_, vu.data(), vu.size());
  if (!error) return RD_KAFKA_RESP_ERR_NO_ERROR;
  const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
  rd_kafka_error_destroy(error);
  return code;
}

void Producer::serve(int timeout_ms) { rd_kafka_poll(rk_, timeout_ms); }

void Producer::flush(int timeout_ms) { rd_kafka_flush(rk_, timeout_ms); }

bool Producer::reaches_a_broker(int timeout_ms) {
  const rd_kafka_metadata_t* metadata = nullptr;
  // Metadata of no topic: the brokers only, answered by any broker the client can reach.
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk_, 0, nullptr, &metadata, timeout_ms);
  if (metadata) rd_kafka_metadata_destroy(metadata);
  return err == RD_KAFKA_RESP_ERR_NO_ERROR;
}

void Producer::on_delivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* message, void* opaque) {
  static_cast<Producer*>(opaque)->delivery(*message);
}

void Producer::delivery(const rd_kafka_message_t& m) {
  if (!events_) return;
  const auto ticket = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(m._private));
  if (!m.err) {
    events_->delivered(ticket);
    return;
  }
  events_->failed(ticket, std::string(rd_kafka_topic_name(m.rkt)) + ": " + rd_kafka_err2str(m.err) + " (" +
                              persistence(m) + ")");
}

void Producer::on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  static_cast<Producer*>(opaque)->error(rk, static_cast<rd_kafka_resp_err_t>(err), reason);
}

void Producer::error(rd_kafka_t* rk, rd_kafka_resp_err_t err, const char* reason) {
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    std::array<char, 512> text{};
    const rd_kafka_resp_err_t cause = rd_kafka_fatal_error(rk, text.data(), text.size());
    fatal_error_ = std::string(rd_kafka_err2name(cause)) + ": " + text.data();
    log::error(kTag, "fatal producer error; the producer will be replaced", {{"error", fatal_error_}});
    if (events_) events_->client_error(rd_kafka_err2name(cause), cause);
    return;
  }
  // Connection failures are in librdkafka's own log lines already (see on_log); other errors
  // repeat at every reconnection attempt: once a minute at warning level.
  std::string text = std::string(rd_kafka_err2name(err)) + ": " + reason;
  const std::int64_t now = now_ms();
  const bool repeat = text == last_error_ && now - last_error_at_ms_ < 60000;
  if (!repeat) {
    last_error_ = text;
    last_error_at_ms_ = now;
  }
  const bool logged_already = err == RD_KAFKA_RESP_ERR__TRANSPORT || err == RD_KAFKA_RESP_ERR__RESOLVE;
  const log::Level level = repeat || logged_already ? log::Level::Debug : log::Level::Warning;
  if (log::enabled(level)) log::write(level, kTag, "producer error", {{"error", text}});
  if (events_) events_->client_error(rd_kafka_err2name(err), err);
}

} // namespace tmfd::kafka

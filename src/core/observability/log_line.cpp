#include "observability/log_line.hpp"

#include <tmfd/json.hpp>

namespace tmfd {

std::string log::FieldValue::to_string() const {
  switch (kind_) {
    case Kind::Signed: return std::to_string(signed_);
    case Kind::Unsigned: return std::to_string(unsigned_);
    case Kind::Real: return json::serialize(json::value(real_));  // shortest round-trip form
    case Kind::Boolean: return boolean_ ? "true" : "false";
    case Kind::Text: break;
  }
  return std::string(text_);
}

namespace observability {

namespace {

// Values are quoted when they hold spaces or quotes, so a text line stays machine-splittable.
void append_text_value(std::string& out, std::string_view v) {
  bool plain = !v.empty();
  for (char c : v)
    if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\r') plain = false;
  if (plain) {
    out += v;
    return;
  }
  out += json::serialize(json::string(v));
}

json::value json_value(const log::FieldValue& v) {
  using Kind = log::FieldValue::Kind;
  switch (v.kind()) {
    case Kind::Signed: return v.signed_value();
    case Kind::Unsigned: return v.unsigned_value();
    case Kind::Real: return v.real_value();
    case Kind::Boolean: return v.boolean_value();
    case Kind::Text: break;
  }
  return json::string(v.text());
}

} // namespace

const char* level_name(log::Level l) {
  switch (l) {
    case log::Level::Trace: return "TRACE";
    case log::Level::Debug: return "DEBUG";
    case log::Level::Info: return "INFO";
    case log::Level::Warning: return "WARN";
    case log::Level::Error: return "ERROR";
  }
  return "INFO";
}

std::string format_text(const LogLine& l) {
  std::string line;
  line.reserve(160);
  append_text(line, l);
  return line;
}

void append_text(std::string& line, const LogLine& l) {
  line += l.time;
  line += ' ';
  line += level_name(l.level);
  line += " [";
  line += l.component;
  line += "] ";
  line += l.message;
  if (!l.correlation_id.empty()) {
    line += " corr=";
    append_text_value(line, l.correlation_id);
  }
  for (const auto& [k, v] : l.fields) {
    line += ' ';
    line += k;
    line += '=';
    if (v.kind() == log::FieldValue::Kind::Text)
      append_text_value(line, v.text());
    else
      line += v.to_string();
  }
}

std::string format_json(const LogLine& l) {
  json::object o;
  o["time"] = l.time;
  o["level"] = level_name(l.level);
  o["component"] = l.component;
  o["message"] = l.message;
  if (!l.correlation_id.empty()) o["correlationId"] = l.correlation_id;
  for (const auto& [k, v] : l.fields) o[k] = json_value(v);
  return json::serialize(o);
}

} // namespace observability
} // namespace tmfd

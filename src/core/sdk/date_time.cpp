#include <tmfd/date_time.hpp>

#include <ctime>

namespace tmfd {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& value) {
  if (pos + n > s.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

bool leap_year(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int year, int month) noexcept {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap_year(year) ? 29 : days[month - 1];
}

} // namespace

std::optional<std::int64_t> date_time_ms(std::string_view s) noexcept {
  int year, month, day, hour, minute, second;
  if (!(digits(s, 0, 4, year) && s.size() >= 19 && s[4] == '-' && digits(s, 5, 2, month) && s[7] == '-' &&
        digits(s, 8, 2, day) && (s[10] == 'T' || s[10] == 't') && digits(s, 11, 2, hour) && s[13] == ':' &&
        digits(s, 14, 2, minute) && s[16] == ':' && digits(s, 17, 2, second)))
    return std::nullopt;
  // February 30th is no date: timegm would quietly read it as March 1st.
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 ||
      second > 60)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::int64_t ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    std::size_t start = ++i;
    std::int64_t scale = 100;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10) ms += (s[i] - '0') * scale;
    if (i == start) return std::nullopt;
  }
  if (i == s.size()) return std::nullopt;  // a zone is required
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size() ? std::optional<std::int64_t>(ms) : std::nullopt;
  int oh, om;
  if ((s[i] == '+' || s[i] == '-') && s.size() == i + 6 && digits(s, i + 1, 2, oh) && s[i + 3] == ':' &&
      digits(s, i + 4, 2, om) && oh <= 23 && om <= 59) {
    std::int64_t offset = (oh * 60 + om) * 60000LL;
    return s[i] == '+' ? ms - offset : ms + offset;
  }
  return std::nullopt;
}

bool is_date_time(std::string_view text) noexcept { return date_time_ms(text).has_value(); }

} // namespace tmfd

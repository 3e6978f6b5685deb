#include "safety/extractors.h"

#include "base/text.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_set>

namespace khien::safety {
namespace {

using text::ascii::IsAlnum;
using text::ascii::IsDigit;
using text::ascii::IsLower;
bool IsHostChar(char c) { return IsLower(c) || IsDigit(c) || c == '-' || c == '.'; }

// A set of bytes, tested by one table lookup.
struct ByteSet {
  std::array<bool, 256> has{};
  constexpr explicit ByteSet(std::string_view bytes) {
    for (char c : bytes) has[static_cast<unsigned char>(c)] = true;
  }
  bool operator()(char c) const { return has[static_cast<unsigned char>(c)]; }
};

// First / last byte of `s` in `set`, or npos (libstdc++'s find_first_of and find_last_of
// call memchr once per byte of `s`).
size_t FindFirstOf(std::string_view s, const ByteSet& set) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (set(s[i])) return i;
  }
  return std::string_view::npos;
}

size_t FindLastOf(std::string_view s, const ByteSet& set) {
  for (size_t i = s.size(); i-- > 0;) {
    if (set(s[i])) return i;
  }
  return std::string_view::npos;
}

constexpr ByteSet kNumberStart("0123456789+");
constexpr ByteSet kHostEnd("/?#:");
constexpr ByteSet kClauseBreak(",;!?\n");
constexpr ByteSet kSentenceBreak(".!?\n");
constexpr ByteSet kLeadPunct("([{<\"'");
constexpr ByteSet kTrailPunct(".,;:!?)]}>\"'");

constexpr std::array<std::string_view, 62> kTlds = {
    "com", "vn", "net", "org", "info", "xyz", "top", "cc", "io", "me", "online", "site",
    "club", "shop", "vip", "app", "link", "asia", "biz", "co", "live", "pro", "store", "tk",
    "ml", "ga", "cf", "gq", "ru", "cn", "us", "uk", "fun", "icu", "cyou", "sbs", "click",
    "work", "website", "space", "tech", "win", "bid", "loan", "life", "today", "ltd", "group",
    "world", "services", "support", "help", "finance", "money", "bond", "cfd", "buzz", "pw",
    "ws", "in", "tv", "ly"};

bool IsTld(std::string_view s) {
  return std::find(kTlds.begin(), kTlds.end(), s) != kTlds.end() || s.starts_with("xn--");
}

// A host: labels of [a-z0-9-] joined by dots, at least two, ending in a known TLD.
bool LooksLikeHost(std::string_view h) {
  if (h.size() < 4 || h.front() == '.' || h.back() == '.' || h.front() == '-') return false;
  size_t dot = h.rfind('.');
  if (dot == std::string_view::npos) return false;
  if (!IsTld(h.substr(dot + 1))) return false;
  bool has_letter = false;
  size_t label_len = 0;
  for (char c : h) {
    if (!IsHostChar(c)) return false;
    if (c == '.') {
      if (label_len == 0) return false;
      label_len = 0;
      continue;
    }
    ++label_len;
    has_letter = has_letter || IsLower(c);
  }
  return has_letter;
}

std::string_view TrimPunct(std::string_view tok, size_t* lead) {
  *lead = 0;
  while (!tok.empty() && kLeadPunct(tok.front())) {
    tok.remove_prefix(1);
    ++*lead;
  }
  while (!tok.empty() && kTrailPunct(tok.back())) {
    tok.remove_suffix(1);
  }
  return tok;
}

void AddFromView(std::vector<Entity>* out, const TextView& v, EntityType type, size_t b, size_t e,
                 std::string value) {
  if (e <= b || e > v.text.size()) return;
  auto [s, t] = v.OriginalSpan(b, e);
  Entity ent;
  ent.type = type;
  ent.value = std::move(value);
  ent.start = s;
  ent.end = t;
  out->push_back(std::move(ent));
}

void ExtractLinksAndEmails(const NormalizedText& nt, std::vector<Entity>* out) {
  const TextView& v = nt.deobfuscated;
  const std::string_view s = v.text;
  size_t i = 0;  // a word start or a space
  while (i < s.size()) {
    // Links and e-mail addresses all have a dotted host: only the words holding a dot
    // (found by memchr) are read.
    const size_t dot = s.find('.', i);
    if (dot == std::string_view::npos) break;
    size_t w = dot;
    while (w > i && s[w - 1] != ' ') --w;
    size_t j = dot;
    while (j < s.size() && s[j] != ' ') ++j;
    size_t lead = 0;
    std::string_view tok = TrimPunct(s.substr(w, j - w), &lead);
    const size_t tb = w + lead;
    i = j;
    // Both need a dotted host; trimming took the sentence's full stop away.
    if (tok.size() < 4 || tok.find('.') == std::string_view::npos) continue;
    if (size_t at = tok.find('@'); at != std::string_view::npos && at > 0) {
      std::string_view local = tok.substr(0, at);
      std::string_view dom = tok.substr(at + 1);
      bool local_ok = std::all_of(local.begin(), local.end(), [](char c) {
        return IsAlnum(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == '%';
      });
      if (local_ok && LooksLikeHost(dom)) {
        AddFromView(out, v, EntityType::kEmail, tb, tb + tok.size(), std::string(tok));
      }
      continue;
    }
    std::string_view host;
    size_t host_off = 0;
    if (size_t p = tok.find("://"); p != std::string_view::npos) {
      std::string_view scheme = tok.substr(0, p);
      if (scheme != "http" && scheme != "https") continue;
      host_off = p + 3;
    }
    host = tok.substr(host_off);
    size_t host_end = FindFirstOf(host, kHostEnd);
    if (host_end != std::string_view::npos) host = host.substr(0, host_end);
    if (!LooksLikeHost(host) || (host_off == 0 && host.size() == tok.size() && host.size() < 5)) {
      continue;
    }
    std::string h(host);
    if (h.starts_with("www.")) h.erase(0, 4);
    AddFromView(out, v, EntityType::kUrl, tb, tb + tok.size(), std::string(tok));
    const size_t hb = tb + host_off;
    AddFromView(out, v, EntityType::kDomain, hb, hb + host.size(), DisplayHost(h));
    if (!out->empty() && out->back().type == EntityType::kDomain) {
      out->back().host_ascii = h;
      // A host written with non-Latin look-alike letters: the original bytes are not ASCII.
      for (uint32_t k = out->back().start; k < out->back().end; ++k) {
        if (static_cast<unsigned char>(nt.original[k]) >= 0x80) {
          out->back().homograph = true;
          break;
        }
      }
    }
  }
}

// Digit groups separated by single spaces, dots or dashes starting at s[i].
struct DigitRun {
  size_t begin = 0;
  std::vector<std::pair<size_t, size_t>> groups;  // [b, e) of each group
};

// Into `run`, whose buffer is reused from number to number.
void ReadDigitRun(std::string_view s, size_t i, DigitRun* out) {
  DigitRun& run = *out;
  run.begin = i;
  run.groups.clear();
  size_t k = i;
  while (k < s.size() && IsDigit(s[k])) {
    size_t b = k;
    while (k < s.size() && IsDigit(s[k])) ++k;
    run.groups.emplace_back(b, k);
    if (k + 1 < s.size() && (s[k] == ' ' || s[k] == '.' || s[k] == '-') && IsDigit(s[k + 1])) {
      ++k;
      continue;
    }
    break;
  }
}

// Whole-word keyword sets: a keyword counts where it starts and ends a word of the text
// searched (its neighbours there are not letters or digits; the text's own ends count as
// boundaries). Keywords are bucketed by first byte, so a search visits each word start
// once instead of running one `find` per keyword over the text.
class Keywords {
 public:
  Keywords(std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      by_first_[static_cast<unsigned char>(w[0])].push_back(w);
      first_[static_cast<unsigned char>(w[0])] = true;
    }
  }

  // Whether some keyword starts with `c`: one table lookup, for scans over a whole view.
  bool MayStartWith(char c) const { return first_[static_cast<unsigned char>(c)]; }

  // The longest keyword at hay[p] that ends a word, or an empty view.
  // REQUIRES: p < hay.size(), and p == 0 or hay[p - 1] is not a letter or digit.
  std::string_view LongestAt(std::string_view hay, size_t p) const {
    std::string_view best;
    for (std::string_view w : by_first_[static_cast<unsigned char>(hay[p])]) {
      const size_t end = p + w.size();
      if (w.size() <= best.size() || end > hay.size()) continue;
      size_t k = 1;  // byte 0 matched by the bucket; short words, so compared in place
      while (k < w.size() && hay[p + k] == w[k]) ++k;
      if (k == w.size() && (end == hay.size() || !IsAlnum(hay[end]))) best = w;
    }
    return best;
  }

  bool AnyIn(std::string_view hay) const {
    for (size_t p = 0; p < hay.size(); ++p) {
      if ((p == 0 || !IsAlnum(hay[p - 1])) && !LongestAt(hay, p).empty()) return true;
    }
    return false;
  }

 private:
  std::array<std::vector<std::string_view>, 256> by_first_;
  std::array<bool, 256> first_{};  // by_first_[c] is not empty
};

bool AccountContext(std::string_view before, std::string_view after) {
  static const Keywords kBefore = {
      "stk", "so tai khoan", "tai khoan", "tk", "so tk", "account", "acc", "vietcombank", "vcb",
      "techcombank", "tcb", "bidv", "agribank", "vietinbank", "mbbank", "mb bank", "mb",
      "tpbank", "vpbank", "acb", "sacombank", "ocb", "shb", "hdbank", "vib", "msb", "seabank",
      "eximbank", "lpbank", "scb", "abbank", "pvcombank", "ngan hang", "bank", "chu tk", "ctk"};
  static const Keywords kAfter = {"vietcombank", "vcb", "techcombank", "bidv", "agribank",
                                  "vietinbank", "mbbank", "mb bank", "tpbank", "vpbank", "acb",
                                  "sacombank", "ngan hang"};
  return kBefore.AnyIn(before) || kAfter.AnyIn(after.substr(0, 20));
}

// "Call this number" words: a phone number despite an account context.
bool PhoneContext(std::string_view before) {
  static const Keywords kWords = {"sdt", "dt", "goi", "lien he", "lh", "hotline", "zalo",
                                  "dien thoai", "call"};
  return kWords.AnyIn(before);
}

bool CitizenIdContext(std::string_view before) {
  static const Keywords kWords = {"cccd", "can cuoc", "cmnd", "chung minh", "dinh danh", "cmt",
                                  "citizen id", "id card"};
  return kWords.AnyIn(before);
}

// The context of a number at s[start]: up to 40 bytes before it, from after the last clause
// break or ". " among them ("STK 123 Vietcombank, còn số 456": 456 has none). One backward
// scan: the rightmost of the two cuts is the one that counts.
std::string_view ContextBefore(std::string_view s, size_t start) {
  const size_t b = start >= 40 ? start - 40 : 0;
  const std::string_view before = s.substr(b, start - b);
  for (size_t k = before.size(); k-- > 0;) {
    if (kClauseBreak(before[k]) ||
        (before[k] == '.' && k + 1 < before.size() && before[k + 1] == ' ')) {
      return before.substr(k + 1);
    }
  }
  return before;
}

void ExtractNumbers(const NormalizedText& nt, std::vector<Entity>* out) {
  const TextView& v = nt.folded;
  const std::string_view s = v.text;
  DigitRun run;
  size_t i = 0;
  while (i < s.size()) {
    // Most bytes start no number: on to the next digit or '+'.
    while (i < s.size() && !kNumberStart(s[i])) ++i;
    if (i == s.size()) break;
    const bool plus = s[i] == '+' && i + 1 < s.size() && IsDigit(s[i + 1]);
    if (!IsDigit(s[i]) && !plus) { ++i; continue; }
    if (i > 0 && (IsAlnum(s[i - 1]) || s[i - 1] == ',' || s[i - 1] == '/')) {
      ++i;  // inside a word or code ("v120z", "a+1"): skip it
      while (i < s.size() && IsAlnum(s[i])) ++i;
      continue;
    }
    const size_t start = i;
    ReadDigitRun(s, plus ? i + 1 : i, &run);
    const size_t run_end = run.groups.back().second;
    // What follows: a letter right after means a unit or a code ("500k", "10h").
    const bool letter_after = run_end < s.size() && IsAlnum(s[run_end]);
    // The words before, read only for numbers that may be phones, accounts or ID numbers.
    std::optional<std::string_view> before_words;
    const auto before = [&] {
      if (!before_words) before_words = ContextBefore(s, start);
      return *before_words;
    };
    const std::string_view after = s.substr(run_end, std::min<size_t>(30, s.size() - run_end));

    std::string digits;
    bool consumed = false;
    // Try the longest prefix of whole groups that forms a phone number.
    for (size_t g = run.groups.size(); g-- > 0 && !consumed;) {
      digits.clear();
      for (size_t k = 0; k <= g; ++k) {
        digits.append(s.substr(run.groups[k].first, run.groups[k].second - run.groups[k].first));
      }
      const size_t end = run.groups[g].second;
      if (end < s.size() && IsAlnum(s[end])) continue;
      if (g + 1 == run.groups.size() || s[end] == ' ') {
        std::string candidate = digits;
        if (plus) candidate.insert(candidate.begin(), '+');
        auto phone = NormalizePhone(candidate);
        if (phone && !(AccountContext(before(), after) && !PhoneContext(before()))) {
          AddFromView(out, v, EntityType::kPhone, start, end, *phone);
          i = end;
          consumed = true;
        }
      }
    }
    if (consumed) continue;
    digits.clear();
    for (auto [b, e] : run.groups) digits.append(s.substr(b, e - b));
    const bool only_spaces = std::all_of(run.groups.begin() + 1, run.groups.end(),
                                         [&](auto g) { return s[g.first - 1] == ' '; }) ;
    if (!letter_after && !plus && digits.size() == 12 && (run.groups.size() == 1 || only_spaces)) {
      const int province = std::stoi(digits.substr(0, 3));
      if ((digits[0] == '0' && province >= 1 && province <= 96) || CitizenIdContext(before())) {
        AddFromView(out, v, EntityType::kCitizenId, start, run_end, digits);
        i = run_end;
        continue;
      }
    }
    if (!letter_after && !plus && digits.size() >= 6 && digits.size() <= 19 &&
        (run.groups.size() == 1 || only_spaces) && AccountContext(before(), after) &&
        !ParseMoney(s.substr(start, std::min<size_t>(s.size() - start, run_end - start + 8)))) {
      AddFromView(out, v, EntityType::kBankAccount, start, run_end, digits);
      i = run_end;
      continue;
    }
    // Money: the number plus an optional unit word.
    size_t e = run_end;
    while (e < s.size() && (IsAlnum(s[e]) || s[e] == ',' || s[e] == '.')) ++e;
    while (e > run_end && (s[e - 1] == ',' || s[e - 1] == '.')) --e;  // sentence punctuation
    size_t money_end = e;
    std::optional<double> amount = ParseMoney(s.substr(start, e - start));
    if (!amount && e + 1 < s.size() && s[e] == ' ') {
      size_t w = e + 1;
      while (w < s.size() && IsAlnum(s[w])) ++w;
      amount = ParseMoney(s.substr(start, w - start));
      if (amount) money_end = w;
    }
    if (amount && !plus) {
      AddFromView(out, v, EntityType::kMoney, start, money_end,
                  std::to_string(static_cast<long long>(std::llround(*amount))));
      if (!out->empty()) out->back().amount = *amount;
      i = money_end;
      continue;
    }
    i = std::max(run_end, start + 1);
  }
}

void ExtractOtpRequests(const NormalizedText& nt, std::vector<Entity>* out) {
  const TextView& v = nt.expanded;
  const std::string_view s = v.text;
  static const Keywords kSecrets = {
      "ma otp", "otp", "ma xac thuc", "ma xac nhan", "mat khau", "ma pin", "password",
      "ma bao mat", "ma kich hoat", "passcode", "ma dang nhap", "ma gd",
      "smart otp",
      // "pass" alone is also "pass lại" (resell); with an account after it, it is the password.
      "pass facebook", "pass fb", "pass zalo", "pass nick", "pass acc", "pass instagram", "pass ig"};  // English requests ("send me the code") are rule scam.en_otp_request
  // "điền" only as "điền vào" / "điền mã": the bare word is also "điện" ("số điện thoại").
  static const Keywords kAsk = {
      "cung cap", "gui", "doc", "nhap vao day", "dua", "send", "give", "share", "chup",
      "gui lai", "nhan tin", "chia se", "tell", "forward", "doc giup", "dien vao", "dien ma", "xin",
      "vao day", "vao link", "vao duong link"};
  // "(đã) được gửi đến", "phí gửi": the code was sent to you, or a price; nobody asks for it.
  static const Keywords kSentToYou = {"duoc gui", "da gui", "phi gui", "gui den", "gui toi", "gui ve"};
  const auto asks = [](std::string_view window) {
    for (size_t p = 0; p < window.size(); ++p) {
      if (p > 0 && IsAlnum(window[p - 1])) continue;
      if (const std::string_view sent = kSentToYou.LongestAt(window, p); !sent.empty()) {
        p += sent.size() - 1;  // its "gui" is not an ask
        continue;
      }
      // "soạn tin MK gửi 333": how to get a password from a carrier's short code.
      if (window.substr(p).starts_with("gui ") && p + 4 < window.size() && IsDigit(window[p + 4])) {
        p += 3;
        continue;
      }
      if (!kAsk.LongestAt(window, p).empty()) return true;
    }
    return false;
  };
  static const Keywords kNever = {
      "khong", "tuyet doi", "dung", "never", "do not", "don't", "khong bao gio", "not",
      "ko", "chua bao gio", "canh giac", "luu y",
      // "nếu ai đòi mã OTP thì đừng đưa": someone asking is the case warned about.
      "neu ai", "neu co ai"};
  size_t last_end = 0;
  for (size_t p = 0; p < s.size();) {
    // The next whole-word secret keyword at or after p, the longest one at that position.
    size_t best = std::string_view::npos;
    std::string_view which;
    for (size_t q = p; q < s.size(); ++q) {
      if (!kSecrets.MayStartWith(s[q]) || (q > 0 && IsAlnum(s[q - 1]))) continue;
      which = kSecrets.LongestAt(s, q);
      if (!which.empty()) {
        best = q;
        break;
      }
    }
    if (best == std::string_view::npos) break;
    // The whole sentence before it (up to 120 bytes), so a warning that opens a long sentence
    // ("... KHÔNG gửi tin nhắn ... yêu cầu cung cấp mật khẩu") still counts as one.
    const size_t wb = best >= 120 ? best - 120 : 0;
    std::string_view window_before = s.substr(wb, best - wb);
    std::string_view window_after = s.substr(best + which.size(), 40);
    // The sentence holding the keyword only: a warning in the next sentence does not count.
    if (size_t dot = FindLastOf(window_before, kSentenceBreak); dot != std::string_view::npos) {
      window_before = window_before.substr(dot + 1);
    }
    if (size_t dot = FindFirstOf(window_after, kSentenceBreak); dot != std::string_view::npos) {
      window_after = window_after.substr(0, dot);
    }
    const bool ask = asks(window_before.substr(window_before.size() > 60 ? window_before.size() - 60 : 0)) ||
                     asks(window_after) || window_before.ends_with("dien ");  // "điền mã OTP"
    // A message that carries the code itself ("Ma OTP cua ban la 123456") delivers it.
    bool delivers = false;
    for (size_t k = 0; k < std::min<size_t>(window_after.size(), 20) && !delivers; ++k) {
      if (!IsDigit(window_after[k]) || (k > 0 && IsDigit(window_after[k - 1]))) continue;
      size_t run = 0;
      while (k + run < window_after.size() && IsDigit(window_after[k + run])) ++run;
      delivers = run >= 4 && run <= 8;  // a code, not a phone number
    }
    const bool never = kNever.AnyIn(window_before);
    if (ask && !never && !delivers && best >= last_end) {
      AddFromView(out, v, EntityType::kOtpRequest, best, best + which.size(), std::string(which));
      last_end = best + which.size();
    }
    p = best + which.size();
  }
}

// Punycode (RFC 3492) parameters.
constexpr uint32_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;

uint32_t Adapt(uint32_t delta, uint32_t numpoints, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / numpoints;
  uint32_t k = 0;
  while (delta > ((kBase - kTMin) * kTMax) / 2) {
    delta /= kBase - kTMin;
    k += kBase;
  }
  return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
}


struct Brand {
  std::string_view domain;
  std::string_view label;
  std::string_view alias;  // short name used in look-alike hosts ("vcb"), may be empty
};

constexpr Brand kBrands[] = {
    {"vietcombank.com.vn", "vietcombank", "vcb"}, {"techcombank.com.vn", "techcombank", "tcb"},
    {"bidv.com.vn", "bidv", ""}, {"agribank.com.vn", "agribank", ""},
    {"vietinbank.vn", "vietinbank", ""}, {"mbbank.com.vn", "mbbank", ""},
    {"tpb.vn", "tpbank", "tpb"}, {"vpbank.com.vn", "vpbank", ""}, {"acb.com.vn", "acb", ""},
    {"sacombank.com.vn", "sacombank", ""}, {"hdbank.com.vn", "hdbank", ""},
    {"vib.com.vn", "vib", ""}, {"shb.com.vn", "shb", ""}, {"ocb.com.vn", "ocb", ""},
    {"msb.com.vn", "msb", ""}, {"seabank.com.vn", "seabank", ""},
    {"eximbank.com.vn", "eximbank", ""}, {"lpbank.com.vn", "lpbank", ""},
    {"momo.vn", "momo", ""}, {"zalopay.vn", "zalopay", ""}, {"vnpay.vn", "vnpay", ""},
    {"chinhphu.vn", "chinhphu", ""}, {"dichvucong.gov.vn", "dichvucong", ""},
    {"vneid.gov.vn", "vneid", ""}, {"evn.com.vn", "evn", ""}, {"gdt.gov.vn", "gdt", ""},
    {"bocongan.gov.vn", "bocongan", ""}, {"baohiemxahoi.gov.vn", "baohiemxahoi", "bhxh"},
    {"viettel.vn", "viettel", ""}, {"vinaphone.com.vn", "vinaphone", ""},
    {"mobifone.vn", "mobifone", ""}, {"shopee.vn", "shopee", ""}, {"lazada.vn", "lazada", ""},
    {"tiki.vn", "tiki", ""}, {"vnpost.vn", "vnpost", ""}, {"ghn.vn", "ghn", ""},
    {"ghtk.vn", "ghtk", ""}, {"zalo.me", "zalo", ""},
    // Foreign and smaller banks, consumer lenders, and the game and social sites whose
    // names fill the reported phishing hosts ("shinhanvayvon.online", "ff-membershipz-garena.ga").
    {"hsbc.com.vn", "hsbc", ""}, {"shinhan.com.vn", "shinhan", ""}, {"uob.com.vn", "uob", ""},
    {"scb.com.vn", "scb", ""}, {"ncb-bank.vn", "ncb", ""}, {"namabank.com.vn", "namabank", ""},
    {"abbank.vn", "abbank", ""}, {"pgbank.com.vn", "pgbank", ""},
    {"pvcombank.com.vn", "pvcombank", ""}, {"kienlongbank.com", "kienlongbank", ""},
    {"baovietbank.vn", "baovietbank", ""}, {"bacabank.com.vn", "bacabank", ""},
    {"vietabank.com.vn", "vietabank", ""}, {"mcredit.com.vn", "mcredit", ""},
    {"hdsaison.com.vn", "hdsaison", ""}, {"fecredit.com.vn", "fecredit", ""},
    {"homecredit.vn", "homecredit", ""}, {"garena.vn", "garena", ""},
    {"facebook.com", "facebook", ""}, {"tiktok.com", "tiktok", ""},
};

// Further official hosts that are not look-alike targets themselves.
constexpr std::string_view kOtherOfficial[] = {
    "viettel.com.vn", "vietteltelecom.vn", "viettelpost.com.vn", "viettelmoney.vn",
    "evnhcmc.vn", "evnhanoi.vn", "evnspc.vn", "evncpc.vn", "evnnpc.vn", "zalo.vn",
    "shopeefood.vn", "shopeepay.vn", "spx.vn", "vietcombank.com", "techcombank.com",
    "mbbank.vn", "tpbank.vn", "momo.com.vn", "mobifone.com.vn", "vinaphone.vn", "vnpt.vn",
    "vnpt.com.vn", "lazada.com", "shopee.com", "vietnamairlines.com", "vietjetair.com",
    "viettelpost.vn", "viettelpay.vn", "myviettel.vn", "tv360.vn", "vinaphoneplus.com.vn",
    "mytv.com.vn", "vnpay.com.vn", "momo.com", "zalopay.com.vn", "zaloapp.com",
    // Viettel's own app links (Branch deep-link hosts) in its promotions.
    "viettelmoney.go.link", "myviettel.go.link",
    "garena.com", "fb.com", "fb.me", "messenger.com", "m.me", "shinhan.com", "hsbc.com"};

// Words phishing hosts glue to a short brand name ("onlinenhbidv", "acbdigital", "vibbank"):
// a short brand inside a longer word counts only when the rest is made of these.
constexpr std::string_view kBankingAffixes[] = {
    "online", "nh", "nganhang", "bank", "ebank", "ibank", "ebanking", "banking", "vn", "secure",
    "xacthuc", "xacminh", "verify", "login", "dangnhap", "digital", "digi", "app", "mobile",
    "smart", "the", "card", "khachhang", "cskh", "hotro", "support", "care", "service", "dichvu",
    "update", "capnhat", "vay", "tindung", "my", "web", "official", "chinhthuc", "net", "plus",
    "vip", "pay", "sukien", "khuyenmai", "uudai", "nhantien", "hoantien", "tinchap", "credit",
    // "chẵn lẻ MoMo" betting pages ("chanlemomo", "momoclmm").
    "chanle", "clmm", "taixiu", "bet"};

// True if `s` is a run of kBankingAffixes and numbers ("momo113", "vcb247"), or empty.
bool AllAffixes(std::string_view s) {
  std::vector<bool> ok(s.size() + 1, false);  // ok[i]: s[0, i) splits into affixes
  ok[0] = true;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!ok[i]) continue;
    if (s[i] >= '0' && s[i] <= '9') ok[i + 1] = true;
    for (std::string_view a : kBankingAffixes) {
      if (s.substr(i).starts_with(a)) ok[i + a.size()] = true;
    }
  }
  return ok[s.size()];
}

// "onlinenhbidv" for "bidv": the brand (or alias) with banking words around it and nothing else.
bool BrandWithAffixes(std::string_view word, std::string_view brand) {
  if (brand.empty() || word.size() <= brand.size()) return false;
  for (size_t at = word.find(brand); at != std::string_view::npos; at = word.find(brand, at + 1)) {
    if (AllAffixes(word.substr(0, at)) && AllAffixes(word.substr(at + brand.size()))) return true;
  }
  return false;
}

// "bink", "brnk", "bnck", "bonk": a garbled "bank", as in the hundreds of generated
// "vcbdigbinkad.com" hosts (b, up to two letters, n or r, up to one letter, k).
bool HasGarbledBank(std::string_view s) {
  const auto letter = [&](size_t i) { return s[i] >= 'a' && s[i] <= 'z'; };
  for (size_t b = 0; b < s.size(); ++b) {
    if (s[b] != 'b') continue;
    for (size_t nr = b + 1; nr <= b + 3 && nr < s.size(); ++nr) {
      if (s[nr] == 'n' || s[nr] == 'r') {
        for (size_t k = nr + 1; k <= nr + 2 && k < s.size(); ++k) {
          if (s[k] == 'k') return true;
          if (!letter(k)) break;
        }
      }
      if (!letter(nr)) break;
    }
  }
  return false;
}

// A word that starts with a bank's name and goes on with a garbled "bank" ("vcbigtlbink").
bool BrandThenGarbledBank(std::string_view word, std::string_view brand) {
  return !brand.empty() && word.size() > brand.size() && word.starts_with(brand) &&
         HasGarbledBank(word.substr(brand.size()));
}

// Look-alike letters and digits reduced to one skeleton ("vietc0mbank" ~ "vietcombank").
std::string Skeleton(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == 'r' && i + 1 < s.size() && s[i + 1] == 'n') { out.push_back('m'); ++i; continue; }
    if (c == 'v' && i + 1 < s.size() && s[i + 1] == 'v') { out.push_back('w'); ++i; continue; }
    switch (c) {
      case '0': c = 'o'; break;
      case '1': case 'i': c = 'l'; break;
      case '3': c = 'e'; break;
      case '4': c = 'a'; break;
      case '5': c = 's'; break;
      case '-': continue;
      default: break;
    }
    out.push_back(c);
  }
  return out;
}

// Levenshtein distance of a and b when it is at most `cap`, else cap + 1. Only the cells
// within `cap` of the diagonal are computed (the others are above cap anyway), each capped
// at cap + 1, and the search stops once a whole row exceeds cap.
size_t EditDistance(std::string_view a, std::string_view b, size_t cap) {
  const size_t over = cap + 1;
  if (a.size() > b.size() + cap || b.size() > a.size() + cap) return over;
  // Two rows; on the stack for the brand names compared here (no allocation per brand).
  constexpr size_t kSmall = 32;
  const size_t row = b.size() + 1;
  std::array<size_t, 2 * kSmall> small;
  std::vector<size_t> large;
  if (row > kSmall) large.resize(2 * row);
  size_t* prev = row > kSmall ? large.data() : small.data();
  size_t* cur = prev + row;
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = std::min(j, over);
  for (size_t i = 1; i <= a.size(); ++i) {
    const size_t lo = i > cap ? i - cap : 1;  // this row's band: columns lo..hi
    const size_t hi = std::min(b.size(), i + cap);
    cur[lo - 1] = lo == 1 ? std::min(i, over) : over;
    size_t row_min = cur[lo - 1];
    for (size_t j = lo; j <= hi; ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]), over});
      row_min = std::min(row_min, cur[j]);
    }
    if (hi < b.size()) cur[hi + 1] = over;  // read by the next row's band
    if (row_min > cap) return over;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string_view EntityTypeName(EntityType type) {
  switch (type) {
    case EntityType::kUrl: return "url";
    case EntityType::kDomain: return "domain";
    case EntityType::kPhone: return "phone";
    case EntityType::kBankAccount: return "bank_account";
    case EntityType::kCitizenId: return "citizen_id";
    case EntityType::kOtpRequest: return "otp_request";
    case EntityType::kMoney: return "money";
    case EntityType::kEmail: return "email";
  }
  return "url";
}

std::vector<Entity> ExtractEntities(const NormalizedText& text) {
  std::vector<Entity> out;
  ExtractLinksAndEmails(text, &out);
  ExtractNumbers(text, &out);
  ExtractOtpRequests(text, &out);
  const auto by_start = [](const Entity& a, const Entity& b) { return a.start < b.start; };
  // Often in order already; stable_sort would still allocate its buffer.
  if (!std::is_sorted(out.begin(), out.end(), by_start)) {
    std::stable_sort(out.begin(), out.end(), by_start);
  }
  return out;
}

std::optional<double> ParseMoney(std::string_view s) {
  size_t i = 0;
  if (s.empty() || !IsDigit(s[0])) return std::nullopt;
  // Number: digits with '.'/',' as thousands separators (groups of 3) or one decimal mark.
  // The integer part is summed as it is read: at most 15 digits, so exact in a double (and
  // the same value std::stod gave), without building a string per number.
  uint64_t intpart = 0;
  size_t int_digits = 0;
  const auto add_digit = [&](char c) {
    if (++int_digits <= 15) intpart = intpart * 10 + static_cast<uint64_t>(c - '0');
  };
  std::string frac;
  int groups = 0;
  while (i < s.size() && IsDigit(s[i])) add_digit(s[i++]);
  while (i + 3 < s.size() + 0 && (s[i] == '.' || s[i] == ',') && IsDigit(s[i + 1]) &&
         IsDigit(s[i + 2]) && IsDigit(s[i + 3]) && (i + 4 >= s.size() || !IsDigit(s[i + 4]))) {
    for (size_t k = 1; k <= 3; ++k) add_digit(s[i + k]);
    i += 4;
    ++groups;
  }
  if (i + 1 < s.size() && (s[i] == '.' || s[i] == ',') && IsDigit(s[i + 1]) && groups == 0) {
    ++i;
    while (i < s.size() && IsDigit(s[i])) frac.push_back(s[i++]);
  }
  if (int_digits > 15) return std::nullopt;
  double value = static_cast<double>(intpart);
  if (!frac.empty()) value += std::stod("0." + frac);
  while (i < s.size() && s[i] == ' ') ++i;
  std::string_view unit = s.substr(i);
  size_t ulen = 0;
  while (ulen < unit.size() && IsLower(unit[ulen])) ++ulen;
  std::string_view word = unit.substr(0, ulen);
  std::string_view rest = unit.substr(ulen);
  double mult = 0;
  if (word == "k" || word == "nghin" || word == "ngan" || word == "ng") mult = 1e3;
  else if (word == "tr" || word == "trieu" || word == "cu" || word == "m") mult = 1e6;
  else if (word == "ty" || word == "ti" || word == "b") mult = 1e9;
  else if (word == "d" || word == "dong" || word == "vnd" || word == "vn") mult = 1;
  else if (word.empty() && groups >= 2) mult = 1;
  if (mult == 0) return std::nullopt;
  if (mult == 1 && groups == 0 && value < 1000) return std::nullopt;  // "5d" is not money
  // "2tr5" = 2.5 million, "1ty2" = 1.2 billion.
  if (!rest.empty() && IsDigit(rest[0]) && mult >= 1e6 && frac.empty()) {
    size_t k = 0;
    std::string tail;
    while (k < rest.size() && IsDigit(rest[k])) tail.push_back(rest[k++]);
    if (k != rest.size() || tail.size() > 3) return std::nullopt;
    value += std::stod("0." + tail);
    rest = {};
  }
  if (!rest.empty() && rest != "." && rest != "," && rest != "/") return std::nullopt;
  return value * mult;
}

std::optional<std::string> DecodePunycodeLabel(std::string_view label) {
  if (!label.starts_with("xn--")) return std::nullopt;
  std::string_view in = label.substr(4);
  std::vector<uint32_t> output;
  size_t basic_end = in.rfind('-');
  size_t pos = 0;
  if (basic_end != std::string_view::npos) {
    for (size_t k = 0; k < basic_end; ++k) {
      if (static_cast<unsigned char>(in[k]) >= 0x80) return std::nullopt;
      output.push_back(static_cast<unsigned char>(in[k]));
    }
    pos = basic_end + 1;
  }
  uint32_t n = 128, i = 0, bias = 72;
  while (pos < in.size()) {
    const uint32_t oldi = i;
    uint32_t w = 1;
    for (uint32_t k = kBase;; k += kBase) {
      if (pos >= in.size() || k > 36 * 64) return std::nullopt;
      const char c = in[pos++];
      uint32_t digit;
      if (c >= 'a' && c <= 'z') digit = c - 'a';
      else if (c >= 'A' && c <= 'Z') digit = c - 'A';
      else if (c >= '0' && c <= '9') digit = c - '0' + 26;
      else return std::nullopt;
      if (digit > (0x7FFFFFFFu - i) / w) return std::nullopt;
      i += digit * w;
      const uint32_t t = k <= bias ? kTMin : (k >= bias + kTMax ? kTMax : k - bias);
      if (digit < t) break;
      if (w > 0x7FFFFFFFu / (kBase - t)) return std::nullopt;
      w *= kBase - t;
    }
    const uint32_t count = static_cast<uint32_t>(output.size()) + 1;
    bias = Adapt(i - oldi, count, oldi == 0);
    if (i / count > 0x10FFFF - n) return std::nullopt;
    n += i / count;
    i %= count;
    if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return std::nullopt;
    if (output.size() > 256) return std::nullopt;
    output.insert(output.begin() + i, n);
    ++i;
  }
  std::string out;
  for (uint32_t cp : output) text::AppendUtf8(out, static_cast<char32_t>(cp));
  return out;
}

std::string DisplayHost(std::string_view host) {
  std::string out;
  size_t p = 0;
  while (p <= host.size()) {
    size_t dot = host.find('.', p);
    if (dot == std::string_view::npos) dot = host.size();
    std::string_view label = host.substr(p, dot - p);
    if (!out.empty() || p > 0) out.push_back('.');
    if (auto d = DecodePunycodeLabel(label)) out += *d;
    else out.append(label);
    p = dot + 1;
  }
  return out;
}

std::optional<std::string> NormalizePhone(std::string_view s) {
  std::string d;
  for (char c : s) {
    if (IsDigit(c)) d.push_back(c);
    else if (c != ' ' && c != '.' && c != '-' && c != '+') return std::nullopt;
  }
  if (d.starts_with("84") && (d.size() == 11 || d.size() == 12)) d.replace(0, 2, "0");
  if (d.size() == 10 && d[0] == '0' && std::string_view("35789").find(d[1]) != std::string::npos) {
    return d;
  }
  if (d.size() == 11 && d.starts_with("02")) return d;
  if (IsBusinessHotline(d) && (d.size() == 8 || d.size() == 10)) return d;
  return std::nullopt;
}

bool IsBusinessHotline(std::string_view phone) {
  return phone.starts_with("1800") || phone.starts_with("1900");
}

const std::vector<std::string>& OfficialDomains() {
  static const std::vector<std::string> kAll = [] {
    std::vector<std::string> v;
    for (const Brand& b : kBrands) v.emplace_back(b.domain);
    for (std::string_view d : kOtherOfficial) v.emplace_back(d);
    return v;
  }();
  return kAll;
}

bool IsOfficialDomain(std::string_view host) {
  // The host is under an official domain when the host itself or what follows one of its
  // dots is one: a lookup per label instead of a comparison per official domain.
  static const std::unordered_set<std::string_view> kOfficial = [] {
    std::unordered_set<std::string_view> set(OfficialDomains().begin(), OfficialDomains().end());
    set.insert("gov.vn");
    return set;
  }();
  for (size_t p = 0; p != std::string_view::npos;) {
    if (kOfficial.contains(host.substr(p))) return true;
    const size_t dot = host.find('.', p);
    p = dot == std::string_view::npos ? dot : dot + 1;
  }
  return false;
}

bool IsSharedHost(std::string_view host) {
  // Hosts shared as they are (a site builder's customers have subdomains of their own, which
  // may be blocked; so do apps on "page.link").
  static constexpr std::string_view kSharedHosts[] = {
      "bit.ly", "t.ly", "tinyurl.com", "cutt.ly", "shorturl.at", "rb.gy", "is.gd", "s.id",
      "yip.su", "tiny.cc", "shorten.asia", "goo.gl", "ow.ly", "buff.ly", "rebrand.ly", "t.co",
      "lnkd.in", "bom.so", "short.gy", "v.gd", "onelink.to", "linktr.ee", "t.me", "telegram.me",
      "wa.me", "m.me", "zalo.me", "forms.gle", "youtu.be", "fb.me", "instagram.com",
      "twitter.com", "x.com", "weebly.com", "blogspot.com", "wixsite.com", "github.io",
      "web.app", "firebaseapp.com", "pages.dev", "vercel.app", "netlify.app", "herokuapp.com",
      "page.link", "go.link"};
  // Platforms whose every host carries everyone's pages ("docs.google.com", "vt.tiktok.com").
  static constexpr std::string_view kSharedPlatforms[] = {"google.com", "youtube.com",
                                                          "facebook.com", "fb.com", "tiktok.com"};
  if (host.starts_with("www.")) host.remove_prefix(4);
  for (std::string_view h : kSharedHosts) {
    if (host == h) return true;
  }
  for (std::string_view p : kSharedPlatforms) {
    if (host == p || (host.ends_with(p) && host.size() > p.size() && host[host.size() - p.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> ImitatedOfficialDomain(std::string_view host) {
  if (IsOfficialDomain(host)) return std::nullopt;
  // Labels, split further at dashes: "vcb-verify.com" → vcb, verify, com.
  std::vector<std::string_view> words;
  std::vector<std::string_view> labels;
  size_t p = 0;
  while (p < host.size()) {
    size_t dot = host.find('.', p);
    if (dot == std::string_view::npos) dot = host.size();
    labels.push_back(host.substr(p, dot - p));
    p = dot + 1;
  }
  if (labels.size() < 2) return std::nullopt;
  size_t suffix = 1;
  if (labels.size() >= 3 && labels.back() == "vn" &&
      (labels[labels.size() - 2] == "com" || labels[labels.size() - 2] == "net" ||
       labels[labels.size() - 2] == "org" || labels[labels.size() - 2] == "edu")) {
    suffix = 2;
  }
  for (size_t k = 0; k + suffix < labels.size(); ++k) {
    std::string_view l = labels[k];
    size_t q = 0;
    while (q <= l.size()) {
      size_t dash = l.find('-', q);
      if (dash == std::string_view::npos) dash = l.size();
      if (dash > q) words.push_back(l.substr(q, dash - q));
      q = dash + 1;
    }
  }
  const std::string_view main_label = labels[labels.size() - suffix - 1];
  // Registering under .vn needs an identity check, and brands run product sites there
  // ("vinaphoneplus.com.vn"), so only near-misspellings count as look-alikes under .vn.
  const bool under_vn = labels.back() == "vn";
  const std::string main_skel = Skeleton(main_label);
  // Brand skeletons once per process, not once per brand per link.
  static const std::vector<std::string> kBrandSkeletons = [] {
    std::vector<std::string> out;
    for (const Brand& b : kBrands) out.push_back(Skeleton(b.label));
    return out;
  }();
  // Under .vn the words are not compared at all; elsewhere each word's skeleton is made
  // once, not once per brand.
  if (under_vn) words.clear();
  std::vector<std::string> word_skels;
  word_skels.reserve(words.size());
  for (std::string_view w : words) word_skels.push_back(Skeleton(w));
  // Most hosts hold no garbled "bank" at all; then no brand needs that test.
  const bool any_garbled = std::any_of(words.begin(), words.end(), HasGarbledBank);
  for (size_t bi = 0; bi < std::size(kBrands); ++bi) {
    const Brand& b = kBrands[bi];
    const std::string& brand_skel = kBrandSkeletons[bi];
    for (size_t wi = 0; wi < words.size(); ++wi) {
      const std::string_view w = words[wi];
      if (w == b.label || (!b.alias.empty() && w == b.alias)) return std::string(b.domain);
      if (BrandWithAffixes(w, b.label) || BrandWithAffixes(w, b.alias)) return std::string(b.domain);
      if (any_garbled && (BrandThenGarbledBank(w, b.label) || BrandThenGarbledBank(w, b.alias))) {
        return std::string(b.domain);
      }
      const std::string& ws = word_skels[wi];
      if (ws == brand_skel && b.label.size() >= 4) return std::string(b.domain);
      if (b.label.size() >= 6 && ws.size() > b.label.size() &&
          ws.find(brand_skel) != std::string::npos) {
        return std::string(b.domain);  // "myvietcombank", "vietcombankvn"
      }
    }
    if (b.label.size() >= 6) {
      const size_t cap = b.label.size() >= 9 ? 2 : 1;
      if (EditDistance(main_skel, brand_skel, cap) <= cap) return std::string(b.domain);
    }
  }
  // "<name>bank(s)" whose name is a near miss of a bank's ("vniatinbanks": "vietin"), where
  // the whole word is too far off for the test above. Short names must match exactly.
  for (const std::string& word_skel : word_skels) {
    std::string_view ws = word_skel;
    if (ws.ends_with("banks")) ws.remove_suffix(1);
    if (!ws.ends_with("bank") || ws.size() <= 4) continue;
    const std::string_view stem = ws.substr(0, ws.size() - 4);
    for (size_t bi = 0; bi < std::size(kBrands); ++bi) {
      std::string_view brand_stem = kBrandSkeletons[bi];
      if (!brand_stem.ends_with("bank")) continue;
      brand_stem.remove_suffix(4);
      const size_t cap = brand_stem.size() >= 6 ? 2 : brand_stem.size() >= 4 ? 1 : 0;
      if (EditDistance(stem, brand_stem, cap) <= cap) return std::string(kBrands[bi].domain);
    }
  }
  return std::nullopt;
}

}  // namespace khien::safety

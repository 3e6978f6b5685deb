#include "cases/crypto.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "base/text.h"

namespace khien::cases {
namespace {

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES] = {'k', 'h', 'i', 'e', 'n', 'c', 'a', 's'};
constexpr uint64_t kWrapSubkey = 1;
constexpr uint64_t kIndexSubkey = 2;
constexpr uint64_t kCodeSubkey = 3;
constexpr uint64_t kIdSubkey = 4;

constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

void EnsureSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

unsigned char* SecureAlloc() {
  EnsureSodium();
  auto* p = static_cast<unsigned char*>(sodium_malloc(kKeyBytes));
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

std::string ToHex(const unsigned char* data, size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, n);
  hex.pop_back();
  return hex;
}

bool FromHex(std::string_view hex, std::vector<unsigned char>& out) {
  out.resize(hex.size() / 2);
  size_t len = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0) {
    return false;
  }
  out.resize(len);
  return len * 2 == hex.size();
}

std::string Seal(const unsigned char* key, std::string_view aad, const unsigned char* msg, size_t n) {
  std::vector<unsigned char> out(kNonce + n + kTag);
  randombytes_buf(out.data(), kNonce);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kNonce, &clen, msg, n,
                                             reinterpret_cast<const unsigned char*>(aad.data()),
                                             aad.size(), nullptr, out.data(), key);
  return ToHex(out.data(), kNonce + clen);
}

// Returns false when the stored value is malformed or fails authentication.
bool Open(const unsigned char* key, std::string_view aad, std::string_view stored,
          std::vector<unsigned char>& plain) {
  std::vector<unsigned char> raw;
  if (!FromHex(stored, raw) || raw.size() < kNonce + kTag) return false;
  plain.resize(raw.size() - kNonce - kTag);
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plain.data(), &mlen, nullptr, raw.data() + kNonce, raw.size() - kNonce,
          reinterpret_cast<const unsigned char*>(aad.data()), aad.size(), raw.data(), key) != 0) {
    return false;
  }
  plain.resize(mlen);
  return true;
}

std::string KeyedHash(const unsigned char* key, std::string_view text) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), key, kKeyBytes);
  return ToHex(digest, sizeof digest);
}

Error Corrupt() {
  return Error{ErrorCode::kInternal, "", "Dữ liệu mã hoá bị hỏng hoặc đã bị sửa đổi.",
               "Encrypted data is damaged or was altered."};
}

Error BadKeyFile(std::string vi, std::string en) {
  return Error::InvalidInput("key_file", std::move(vi), std::move(en));
}

}  // namespace

DataKey::DataKey() : bytes_(SecureAlloc()) { sodium_memzero(bytes_, kKeyBytes); }
DataKey::~DataKey() {
  if (bytes_ != nullptr) sodium_free(bytes_);
}
DataKey::DataKey(DataKey&& other) noexcept : bytes_(other.bytes_) { other.bytes_ = nullptr; }
DataKey& DataKey::operator=(DataKey&& other) noexcept {
  if (this != &other) {
    if (bytes_ != nullptr) sodium_free(bytes_);
    bytes_ = other.bytes_;
    other.bytes_ = nullptr;
  }
  return *this;
}
DataKey DataKey::Random() {
  DataKey key;
  randombytes_buf(key.bytes_, kKeyBytes);
  return key;
}

MasterKey::MasterKey() : wrap_key_(SecureAlloc()), index_key_(SecureAlloc()), code_key_(SecureAlloc()) {}

MasterKey::~MasterKey() {
  sodium_free(wrap_key_);
  sodium_free(index_key_);
  sodium_free(code_key_);
}

std::unique_ptr<MasterKey> MasterKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kKeyBytes) throw std::invalid_argument("master key must be 32 bytes");
  std::unique_ptr<MasterKey> key(new MasterKey());
  const auto* master = reinterpret_cast<const unsigned char*>(bytes.data());
  crypto_kdf_derive_from_key(key->wrap_key_, kKeyBytes, kWrapSubkey, kKdfContext, master);
  crypto_kdf_derive_from_key(key->index_key_, kKeyBytes, kIndexSubkey, kKdfContext, master);
  crypto_kdf_derive_from_key(key->code_key_, kKeyBytes, kCodeSubkey, kKdfContext, master);
  unsigned char id_key[kKeyBytes];
  crypto_kdf_derive_from_key(id_key, kKeyBytes, kIdSubkey, kKdfContext, master);
  key->id_ = KeyedHash(id_key, "khien-master-key-id").substr(0, 16);
  sodium_memzero(id_key, sizeof id_key);
  return key;
}

Result<std::unique_ptr<MasterKey>> MasterKey::Load(const std::string& path) {
  EnsureSodium();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return BadKeyFile("Không mở được tệp khoá.", "Cannot open the key file.");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return BadKeyFile("Tệp khoá không hợp lệ.", "The key file is not a regular file.");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return BadKeyFile("Tệp khoá không được để người khác đọc (cần quyền 0600).",
                      "The key file must not be readable by others (mode 0600).");
  }
  unsigned char buf[kKeyBytes + 1];
  size_t got = 0;
  while (got < sizeof buf) {
    const ssize_t n = ::read(fd, buf + got, sizeof buf - got);
    if (n < 0) break;
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (got != kKeyBytes) {
    sodium_memzero(buf, sizeof buf);
    return BadKeyFile("Tệp khoá phải chứa đúng 32 byte (tạo bằng: khien keys create).",
                      "The key file must hold exactly 32 bytes (create it with: khien keys create).");
  }
  auto key = FromBytes(std::string_view(reinterpret_cast<const char*>(buf), kKeyBytes));
  sodium_memzero(buf, sizeof buf);
  return key;
}

Result<void> MasterKey::CreateFile(const std::string& path) {
  EnsureSodium();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return BadKeyFile("Không tạo được tệp khoá (tệp đã tồn tại hoặc không ghi được).",
                      "Cannot create the key file (it exists or is not writable).");
  }
  unsigned char buf[kKeyBytes];
  randombytes_buf(buf, sizeof buf);
  const ssize_t n = ::write(fd, buf, sizeof buf);
  sodium_memzero(buf, sizeof buf);
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (n != static_cast<ssize_t>(kKeyBytes) || !synced) {
    ::unlink(path.c_str());
    return BadKeyFile("Không ghi được tệp khoá.", "Cannot write the key file.");
  }
  return Ok();
}

std::string MasterKey::Wrap(const DataKey& key, std::string_view record_id) const {
  const std::string aad = "khien-data-key|" + std::string(record_id);
  return Seal(wrap_key_, aad, key.bytes(), kKeyBytes);
}

Result<DataKey> MasterKey::Unwrap(std::string_view wrapped, std::string_view key_id,
                                  std::string_view record_id) const {
  if (key_id != id_) {
    return Error{ErrorCode::kUnavailable, "",
                 "Tệp khoá không khớp với cơ sở dữ liệu; không đọc được dữ liệu mã hoá.",
                 "The key file does not match the database; encrypted data cannot be read."};
  }
  const std::string aad = "khien-data-key|" + std::string(record_id);
  std::vector<unsigned char> plain;
  if (!Open(wrap_key_, aad, wrapped, plain) || plain.size() != kKeyBytes) {
    sodium_memzero(plain.data(), plain.size());
    return Corrupt();
  }
  DataKey out;
  std::memcpy(out.bytes(), plain.data(), kKeyBytes);
  sodium_memzero(plain.data(), plain.size());
  return out;
}

std::string MasterKey::BlindIndex(std::string_view text) const { return KeyedHash(index_key_, text); }
std::string MasterKey::CodeHash(std::string_view code) const { return KeyedHash(code_key_, code); }

std::string EncryptField(const DataKey& key, std::string_view record_id, std::string_view field,
                         std::string_view plaintext) {
  const std::string aad = "khien-field|" + std::string(record_id) + "|" + std::string(field);
  return Seal(key.bytes(), aad, reinterpret_cast<const unsigned char*>(plaintext.data()),
              plaintext.size());
}

Result<std::string> DecryptField(const DataKey& key, std::string_view record_id,
                                 std::string_view field, std::string_view stored) {
  const std::string aad = "khien-field|" + std::string(record_id) + "|" + std::string(field);
  std::vector<unsigned char> plain;
  if (!Open(key.bytes(), aad, stored, plain)) return Corrupt();
  std::string out(plain.begin(), plain.end());
  sodium_memzero(plain.data(), plain.size());
  return out;
}

std::string DuplicateKey(std::string_view name, std::optional<int64_t> birth_year) {
  const std::string folded = text::Fold(name);
  std::string collapsed;
  for (char ch : folded) {
    if (ch == ' ' || ch == '\t') {
      if (!collapsed.empty() && collapsed.back() != ' ') collapsed.push_back(' ');
    } else {
      collapsed.push_back(ch);
    }
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed + "|" + (birth_year ? std::to_string(*birth_year) : "?");
}

}  // namespace khien::cases

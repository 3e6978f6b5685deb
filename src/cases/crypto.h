// Case data encryption: the master key, per-record data keys, field encryption and the keyed
// blind index used for duplicate warnings.
//
// The master key is 32 random bytes in a key file outside the database (`--key-file`); it is
// never written to the database or logged. From it libsodium's KDF derives three subkeys:
// one wraps per-record data keys, one keys the blind index, one keys report-code hashes.
// Each record has its own random 32-byte data key, stored wrapped (XChaCha20-Poly1305) with the
// record id as associated data. Each identifying field is encrypted under the data key with
// associated data "record id | field name", so a ciphertext copied to another record or field
// fails to decrypt. Stored form: lower-case hex of nonce || ciphertext+tag.
//
// Failure: a wrong master key or tampered ciphertext never crashes; it is kUnavailable
// (key file does not match the database) or kInternal (a single value fails authentication),
// with a bilingual message that holds no data.
//
// Thread-safety: a MasterKey is immutable after Load/FromBytes; safe from many threads. The key
// bytes live in sodium_malloc'd, mlock'ed memory and are wiped on destruction.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace khien::cases {

inline constexpr size_t kKeyBytes = 32;

// A data key in guarded memory.
class DataKey {
 public:
  DataKey();
  ~DataKey();
  DataKey(const DataKey&) = delete;
  DataKey& operator=(const DataKey&) = delete;
  DataKey(DataKey&& other) noexcept;
  DataKey& operator=(DataKey&& other) noexcept;

  static DataKey Random();
  unsigned char* bytes() { return bytes_; }
  const unsigned char* bytes() const { return bytes_; }

 private:
  unsigned char* bytes_ = nullptr;
};

class MasterKey {
 public:
  ~MasterKey();
  MasterKey(const MasterKey&) = delete;
  MasterKey& operator=(const MasterKey&) = delete;

  // Reads a key file of exactly 32 bytes. Errors: kInvalidInput (missing, unreadable, wrong size,
  // or readable by group/others).
  static Result<std::unique_ptr<MasterKey>> Load(const std::string& path);
  // REQUIRES: bytes.size() == kKeyBytes. For tests and key creation.
  static std::unique_ptr<MasterKey> FromBytes(std::string_view bytes);
  // Writes 32 fresh random bytes to `path` with mode 0600; refuses to overwrite.
  static Result<void> CreateFile(const std::string& path);

  // A short public fingerprint of the key (hex), stored beside wrapped keys so that a wrong
  // key file is reported as such instead of as corrupt data.
  const std::string& id() const { return id_; }

  // Wraps/unwraps a record's data key; `record_id` is bound as associated data.
  std::string Wrap(const DataKey& key, std::string_view record_id) const;
  // Errors: kUnavailable when `key_id` names another master key; kInternal when authentication
  // fails.
  Result<DataKey> Unwrap(std::string_view wrapped, std::string_view key_id,
                         std::string_view record_id) const;

  // Keyed BLAKE2b (hex) of `text` for equality search without plaintext.
  std::string BlindIndex(std::string_view text) const;
  // Keyed hash for public report codes (a different subkey from the blind index).
  std::string CodeHash(std::string_view code) const;

 private:
  MasterKey();
  unsigned char* wrap_key_ = nullptr;
  unsigned char* index_key_ = nullptr;
  unsigned char* code_key_ = nullptr;
  std::string id_;
};

// Encrypts `plaintext` under `key`; associated data binds it to `record_id` and `field`.
std::string EncryptField(const DataKey& key, std::string_view record_id, std::string_view field,
                         std::string_view plaintext);
// Error kInternal when the value was altered, moved, or encrypted under another key.
Result<std::string> DecryptField(const DataKey& key, std::string_view record_id,
                                 std::string_view field, std::string_view stored);

// The blind-index input for a survivor: folded, space-collapsed name and birth year.
std::string DuplicateKey(std::string_view name, std::optional<int64_t> birth_year);

}  // namespace khien::cases

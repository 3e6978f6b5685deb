// Field encryption, key files, the GBVIMS elimination order and small-cell suppression.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "base/ids.h"
#include "cases/crypto.h"
#include "cases/gbvims.h"
#include "cases/stats.h"

namespace khien::cases {
namespace {

std::unique_ptr<MasterKey> KeyOf(char fill) { return MasterKey::FromBytes(std::string(kKeyBytes, fill)); }

TEST(FieldCrypto, RoundTripsAndHidesPlaintext) {
  DataKey key = DataKey::Random();
  const std::string stored = EncryptField(key, "case1", "name", "Hờ Thị Mây");
  EXPECT_EQ(stored.find("Hờ"), std::string::npos);
  auto plain = DecryptField(key, "case1", "name", stored);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "Hờ Thị Mây");
  // Same plaintext twice gives different ciphertext (random nonce).
  EXPECT_NE(stored, EncryptField(key, "case1", "name", "Hờ Thị Mây"));
}

TEST(FieldCrypto, CiphertextIsBoundToRecordAndField) {
  DataKey key = DataKey::Random();
  const std::string stored = EncryptField(key, "case1", "name", "Y Blơ");
  EXPECT_EQ(DecryptField(key, "case1", "phone", stored).error().code, ErrorCode::kInternal);
  EXPECT_EQ(DecryptField(key, "case2", "name", stored).error().code, ErrorCode::kInternal);
  std::string tampered = stored;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  EXPECT_EQ(DecryptField(key, "case1", "name", tampered).error().code, ErrorCode::kInternal);
  EXPECT_FALSE(DecryptField(key, "case1", "name", "zz-not-hex").ok());
}

TEST(MasterKeyTest, WrongKeyIsACleanUnavailableError) {
  auto right = KeyOf('a');
  auto wrong = KeyOf('b');
  DataKey dk = DataKey::Random();
  const std::string wrapped = right->Wrap(dk, "case1");
  auto back = right->Unwrap(wrapped, right->id(), "case1");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(0, std::memcmp(back->bytes(), dk.bytes(), kKeyBytes));
  auto err = wrong->Unwrap(wrapped, right->id(), "case1");
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(err.error().message_vi.find("khoá"), std::string::npos);
  // The right key id but a forged key record: authentication fails, kInternal.
  EXPECT_EQ(right->Unwrap(wrapped, right->id(), "case2").error().code, ErrorCode::kInternal);
}

TEST(MasterKeyTest, BlindIndexIsKeyedAndFoldsSpelling) {
  auto a = KeyOf('a');
  auto b = KeyOf('b');
  EXPECT_EQ(a->BlindIndex(DuplicateKey("Hờ  Thị Mây", 2001)), a->BlindIndex(DuplicateKey("ho thi may", 2001)));
  EXPECT_NE(a->BlindIndex(DuplicateKey("Hờ Thị Mây", 2001)), a->BlindIndex(DuplicateKey("Hờ Thị Mây", 2002)));
  EXPECT_NE(a->BlindIndex(DuplicateKey("Hờ Thị Mây", 2001)), b->BlindIndex(DuplicateKey("Hờ Thị Mây", 2001)));
  EXPECT_NE(a->BlindIndex("x"), a->CodeHash("x"));
}

TEST(MasterKeyTest, KeyFileIsCreatedPrivateAndLoaded) {
  const auto dir = std::filesystem::temp_directory_path() / ("khien_key_" + RandomHex(6));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "master.key").string();
  ASSERT_TRUE(MasterKey::CreateFile(path).ok());
  struct stat st {};
  ASSERT_EQ(0, ::stat(path.c_str(), &st));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(std::filesystem::file_size(path), kKeyBytes);
  EXPECT_FALSE(MasterKey::CreateFile(path).ok()) << "must not overwrite an existing key";
  auto loaded = MasterKey::Load(path);
  ASSERT_TRUE(loaded.ok());
  auto again = MasterKey::Load(path);
  EXPECT_EQ((*loaded)->id(), (*again)->id());

  ::chmod(path.c_str(), 0644);
  EXPECT_EQ(MasterKey::Load(path).error().code, ErrorCode::kInvalidInput);
  const std::string short_path = (dir / "short.key").string();
  { std::ofstream(short_path) << "too short"; }
  ::chmod(short_path.c_str(), 0600);
  EXPECT_EQ(MasterKey::Load(short_path).error().code, ErrorCode::kInvalidInput);
  EXPECT_FALSE(MasterKey::Load((dir / "missing.key").string()).ok());
  std::filesystem::remove_all(dir);
}

TEST(Gbvims, EliminationTakesTheFirstYesInOrder) {
  using gbvims::CoreType;
  EXPECT_EQ(gbvims::Eliminate({true, true, true}), CoreType::kRape);
  EXPECT_EQ(gbvims::Eliminate({false, false, true}), CoreType::kPhysicalAssault);
  EXPECT_EQ(gbvims::Eliminate({false, false, false, false, false, true}), CoreType::kPsychologicalAbuse);
  EXPECT_EQ(gbvims::Eliminate({false, false, false, false, false, false}), CoreType::kNonGbv);
  EXPECT_EQ(gbvims::Eliminate({false, false}), std::nullopt) << "unanswered questions cannot be skipped";
  EXPECT_TRUE(gbvims::IsDvAct("dd"));
  EXPECT_FALSE(gbvims::IsDvAct("f"));
  EXPECT_EQ(gbvims::DvActs().size(), 14u);
}

std::vector<StatsCell> Cells(std::initializer_list<int64_t> counts, StatsCell& total) {
  std::vector<StatsCell> out;
  total = {"total", 0, false};
  int i = 0;
  for (int64_t n : counts) {
    out.push_back({"k" + std::to_string(i++), n, false});
    total.count += n;
  }
  return out;
}

TEST(Suppression, SmallTotalHidesEverything) {
  StatsCell total;
  auto cells = Cells({2, 1, 0}, total);
  Suppress(cells, total);
  EXPECT_TRUE(total.suppressed);
  EXPECT_TRUE(cells[0].suppressed);
  EXPECT_TRUE(cells[1].suppressed);
  EXPECT_FALSE(cells[2].suppressed);
  EXPECT_EQ(CellText(total), "<5");
}

TEST(Suppression, OneSmallCellGetsAComplement) {
  StatsCell total;
  auto cells = Cells({20, 3, 9, 0}, total);
  Suppress(cells, total);
  EXPECT_TRUE(cells[1].suppressed);
  EXPECT_TRUE(cells[2].suppressed) << "the smallest other cell hides the 3 from total minus shown";
  EXPECT_FALSE(cells[0].suppressed);
  EXPECT_FALSE(total.suppressed);
  // The hidden cells add up to at least 5, so total minus shown does not pin either down.
  EXPECT_GE(total.count - cells[0].count, kSuppressBelow);
}

TEST(Suppression, TwoTinyCellsNeedMoreThanEachOther) {
  StatsCell total;
  auto cells = Cells({1, 1, 30, 7}, total);
  Suppress(cells, total);
  EXPECT_TRUE(cells[0].suppressed);
  EXPECT_TRUE(cells[1].suppressed);
  EXPECT_TRUE(cells[3].suppressed) << "1+1=2 would reveal both ones";
  EXPECT_FALSE(cells[2].suppressed);
}

TEST(Suppression, LargeCellsAreShown) {
  StatsCell total;
  auto cells = Cells({5, 12}, total);
  Suppress(cells, total);
  EXPECT_FALSE(cells[0].suppressed);
  EXPECT_FALSE(cells[1].suppressed);
  EXPECT_EQ(CellText(total), "17");
}

}  // namespace
}  // namespace khien::cases

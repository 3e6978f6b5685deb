#include "safety/extractors.h"

#include <gtest/gtest.h>

#include "safety_test_util.h"

namespace khien::safety {
namespace {

std::vector<Entity> Extract(const std::string& text) {
  static std::string keep;  // NormalizedText points into the text
  keep = text;
  return ExtractEntities(testing::SharedChecker().rules()->normalizer().Normalize(keep));
}

std::vector<std::string> Values(const std::vector<Entity>& es, EntityType type) {
  std::vector<std::string> out;
  for (const Entity& e : es) {
    if (e.type == type) out.push_back(e.value);
  }
  return out;
}

TEST(ExtractorsTest, UrlsAndBareDomains) {
  auto es = Extract("Vào https://vcb-verify.com/login hoặc shopee.vn, không phải TP.HCM");
  EXPECT_EQ(Values(es, EntityType::kUrl),
            (std::vector<std::string>{"https://vcb-verify.com/login", "shopee.vn"}));
  EXPECT_EQ(Values(es, EntityType::kDomain),
            (std::vector<std::string>{"vcb-verify.com", "shopee.vn"}));
}

TEST(ExtractorsTest, ObfuscatedLinkSpanCoversTheOriginal) {
  const std::string text = "bam hxxp://abc[.]xyz/a nhe";
  auto es = Extract(text);
  auto urls = Values(es, EntityType::kUrl);
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(urls[0], "http://abc.xyz/a");
  EXPECT_EQ(text.substr(es[0].start, es[0].end - es[0].start), "hxxp://abc[.]xyz/a");
}

TEST(ExtractorsTest, Punycode) {
  EXPECT_EQ(DecodePunycodeLabel("xn--bcher-kva"), "bücher");
  EXPECT_EQ(DisplayHost("xn--bcher-kva.example"), "bücher.example");
  EXPECT_FALSE(DecodePunycodeLabel("xn--!!!").has_value());
}

TEST(ExtractorsTest, LookAlikesOfOfficialDomains) {
  EXPECT_EQ(ImitatedOfficialDomain("vcb-verify.com"), "vietcombank.com.vn");
  EXPECT_EQ(ImitatedOfficialDomain("vietc0mbank.net"), "vietcombank.com.vn");
  EXPECT_EQ(ImitatedOfficialDomain("vietconbank.com"), "vietcombank.com.vn");
  EXPECT_EQ(ImitatedOfficialDomain("acb-online-center.app"), "acb.com.vn");
  EXPECT_EQ(ImitatedOfficialDomain("dichvucong-gov.top"), "dichvucong.gov.vn");
  EXPECT_FALSE(ImitatedOfficialDomain("vietcombank.com.vn").has_value());
  EXPECT_FALSE(ImitatedOfficialDomain("online.vietcombank.com.vn").has_value());
  EXPECT_FALSE(ImitatedOfficialDomain("thuedientu.gdt.gov.vn").has_value());
  EXPECT_FALSE(ImitatedOfficialDomain("anything.gov.vn").has_value());
  EXPECT_FALSE(ImitatedOfficialDomain("baomoi.com").has_value());
  // A short brand glued to banking words, and nothing else, imitates the brand.
  EXPECT_EQ(ImitatedOfficialDomain("onlinenhbidv.com"), "bidv.com.vn");
  EXPECT_EQ(ImitatedOfficialDomain("acbdigital.net"), "acb.com.vn");
  EXPECT_EQ(ImitatedOfficialDomain("vcbxacthuc.top"), "vietcombank.com.vn");
  EXPECT_EQ(ImitatedOfficialDomain("vibbank-online.xyz"), "vib.com.vn");
  // The same letters inside an ordinary word do not ("acb" in "tacbooks", "vib" in "vibes").
  EXPECT_FALSE(ImitatedOfficialDomain("tacbooks.com").has_value());
  EXPECT_FALSE(ImitatedOfficialDomain("goodvibes.net").has_value());
  EXPECT_FALSE(ImitatedOfficialDomain("shbooks.vn").has_value());
  EXPECT_FALSE(ImitatedOfficialDomain("zaloapp.com").has_value());
  EXPECT_FALSE(ImitatedOfficialDomain("myviettel.go.link").has_value());
  EXPECT_TRUE(IsOfficialDomain("xa-eanuol.daklak.gov.vn"));
}

TEST(ExtractorsTest, PhoneNumbers) {
  auto es = Extract("Gọi 0912 345 678, +84 912.345.679, 84-912-345-680 hoặc 1900 1234");
  EXPECT_EQ(Values(es, EntityType::kPhone),
            (std::vector<std::string>{"0912345678", "0912345679", "0912345680", "19001234"}));
  EXPECT_EQ(NormalizePhone("0212 3456 789"), "02123456789");
  EXPECT_FALSE(NormalizePhone("0123").has_value());
  EXPECT_FALSE(NormalizePhone("1.500.000").has_value());
}

TEST(ExtractorsTest, BankAccountsNeedContext) {
  auto es = Extract("STK 0071000123456 Vietcombank, còn số 12345678 thì không");
  EXPECT_EQ(Values(es, EntityType::kBankAccount), (std::vector<std::string>{"0071000123456"}));
  es = Extract("chuyen vao so tai khoan 1903 5566 7788 techcombank");
  EXPECT_EQ(Values(es, EntityType::kBankAccount), (std::vector<std::string>{"190355667788"}));
}

TEST(ExtractorsTest, CitizenId) {
  auto es = Extract("CCCD: 001203004567, mã đơn 123456789012");
  EXPECT_EQ(Values(es, EntityType::kCitizenId), (std::vector<std::string>{"001203004567"}));
}

TEST(ExtractorsTest, OtpRequestsButNotWarnings) {
  EXPECT_EQ(Values(Extract("Anh đọc giúp em mã OTP nhé"), EntityType::kOtpRequest).size(), 1u);
  EXPECT_EQ(Values(Extract("gui mk tai khoan ngan hang cho minh"), EntityType::kOtpRequest).size(), 1u);
  EXPECT_EQ(Values(Extract("Điền mã OTP vào đây để nhận quà"), EntityType::kOtpRequest).size(), 1u);
  EXPECT_EQ(Values(Extract("cho anh xin pass fb của em"), EntityType::kOtpRequest).size(), 1u);
  EXPECT_TRUE(Values(Extract("Tuyệt đối không cung cấp mã OTP cho ai"), EntityType::kOtpRequest)
                  .empty());
  EXPECT_TRUE(Values(Extract("Mã OTP của bạn là 123456"), EntityType::kOtpRequest).empty());
}

// What the detector once took for requests in legitimate messages.
TEST(ExtractorsTest, OtpSentToYouWarningsAndChatAreNotRequests) {
  for (const char* text : {
           // a code sent to you, and "số điện thoại" is not "điền"
           "Mã OTP đã được gửi đến số điện thoại của quý khách.",
           "OTP de xac thuc so dien thoai cho tai khoan ABC la: 026183. Ma xac thuc se het han sau 3 phut.",
           // a warning that opens a long sentence
           "Vietcombank KHONG GUI TIN NHAN SMS dinh kem duong link yeu cau Quy khach cung cap ten dang nhap/mat khau/OTP.",
           // a carrier's short code, a sending fee
           "De lay mat khau truy cap, quy khach hay soan tin MK gui 333",
           "nhap ma xac nhan trong 30 phut de dang ky (phi gui: 1.000d/tin)",
           // chat: "mk" is "mình", "pass" is reselling or the wifi
           "mk gap nhau o cong truong nhe", "chi pass lai cho em cai but nay nhe", "cho minh xin pass wifi voi",
       }) {
    EXPECT_TRUE(Values(Extract(text), EntityType::kOtpRequest).empty()) << text;
  }
}

TEST(ExtractorsTest, MoneyAmounts) {
  auto es = Extract("5tr, 500k, 2 triệu, 1.500.000đ, 2 tỷ, 2tr5, 1,5 triệu, 10h, 5 người");
  EXPECT_EQ(Values(es, EntityType::kMoney),
            (std::vector<std::string>{"5000000", "500000", "2000000", "1500000", "2000000000",
                                      "2500000", "1500000"}));
  EXPECT_EQ(ParseMoney("300 nghin"), 300000);
  EXPECT_FALSE(ParseMoney("5 nguoi").has_value());
  EXPECT_FALSE(ParseMoney("5d").has_value());
}

TEST(ExtractorsTest, Emails) {
  auto es = Extract("Liên hệ hotro.khachhang@gmail.com nhé");
  EXPECT_EQ(Values(es, EntityType::kEmail),
            (std::vector<std::string>{"hotro.khachhang@gmail.com"}));
}

}  // namespace
}  // namespace khien::safety

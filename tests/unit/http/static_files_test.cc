#include "http/static_files.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace khien::http {
namespace {

namespace fs = std::filesystem;

std::string HeaderValue(const StaticResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("khien_static_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    dist_ = root_ / "dist";
    fs::create_directories(dist_ / "assets");
    Write(dist_ / "index.html", "<!doctype html><title>Khiên</title>");
    Write(dist_ / "assets" / "app-1a2b.js", "console.log('xin chào');");
    Write(dist_ / "assets" / "app-1a2b.js.gz", "GZIP-BYTES");
    Write(dist_ / "assets" / "app-1a2b.js.br", "BROTLI-BYTES");
    Write(dist_ / "assets" / "style-9f.css", "body{}");
    Write(dist_ / "favicon.svg", "<svg/>");
    Write(dist_ / ".env", "SECRET=1");
    Write(root_ / "secret.txt", "outside the web root");
    fs::create_symlink(root_ / "secret.txt", dist_ / "linked.txt");
    auto loaded = StaticFiles::Load(dist_.string());
    ASSERT_TRUE(loaded.ok());
    files_ = std::move(loaded.value());
  }
  void TearDown() override { fs::remove_all(root_); }

  static void Write(const fs::path& path, std::string_view content) {
    std::ofstream(path, std::ios::binary) << content;
  }
  StaticResponse Get(std::string_view path, std::string_view accept_encoding = "",
                     std::string_view if_none_match = "") const {
    return files_.Serve("GET", path, accept_encoding, if_none_match);
  }

  fs::path root_;
  fs::path dist_;
  StaticFiles files_;
};

TEST_F(StaticFilesTest, ServesFilesWithMimeTypes) {
  const StaticResponse js = Get("/assets/app-1a2b.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log('xin chào');");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/assets/style-9f.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(Get("/favicon.svg").content_type, "image/svg+xml");
  const StaticResponse index = Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.body, "<!doctype html><title>Khiên</title>");
}

TEST_F(StaticFilesTest, CachePolicyByPath) {
  EXPECT_EQ(HeaderValue(Get("/assets/app-1a2b.js"), "Cache-Control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderValue(Get("/"), "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderValue(Get("/index.html"), "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, EtagAndConditionalGet) {
  const StaticResponse first = Get("/assets/style-9f.css");
  const std::string etag = HeaderValue(first, "ETag");
  ASSERT_EQ(etag.size(), 34u);  // quoted 32 hex digits
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(HeaderValue(Get("/assets/style-9f.css"), "ETag"), etag);  // stable
  EXPECT_NE(HeaderValue(Get("/favicon.svg"), "ETag"), etag);          // content-based

  const StaticResponse cached = Get("/assets/style-9f.css", "", etag);
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());
  EXPECT_EQ(HeaderValue(cached, "ETag"), etag);
  EXPECT_EQ(Get("/assets/style-9f.css", "", "\"other\", " + etag).status, 304);
  EXPECT_EQ(Get("/assets/style-9f.css", "", "W/" + etag).status, 304);
  EXPECT_EQ(Get("/assets/style-9f.css", "", "\"stale\"").status, 200);
}

TEST_F(StaticFilesTest, PrecompressedSiblingsByAcceptEncoding) {
  const StaticResponse gzip = Get("/assets/app-1a2b.js", "gzip, deflate");
  EXPECT_EQ(gzip.body, "GZIP-BYTES");
  EXPECT_EQ(HeaderValue(gzip, "Content-Encoding"), "gzip");
  EXPECT_EQ(HeaderValue(gzip, "Vary"), "Accept-Encoding");
  EXPECT_EQ(gzip.content_type, "text/javascript; charset=utf-8");

  const StaticResponse brotli = Get("/assets/app-1a2b.js", "gzip, deflate, br");
  EXPECT_EQ(brotli.body, "BROTLI-BYTES");
  EXPECT_EQ(HeaderValue(brotli, "Content-Encoding"), "br");

  const StaticResponse identity = Get("/assets/app-1a2b.js", "br;q=0, gzip;q=0");
  EXPECT_EQ(identity.body, "console.log('xin chào');");
  EXPECT_EQ(HeaderValue(identity, "Content-Encoding"), "");
  EXPECT_EQ(HeaderValue(identity, "Vary"), "Accept-Encoding");

  // Each representation has its own strong ETag.
  EXPECT_NE(HeaderValue(gzip, "ETag"), HeaderValue(identity, "ETag"));
  // The siblings are not files of their own.
  EXPECT_EQ(Get("/assets/app-1a2b.js.gz").status, 404);
}

TEST_F(StaticFilesTest, SpaFallbackOnlyForExtensionlessPaths) {
  const StaticResponse route = Get("/referrals/01HZX");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.body, "<!doctype html><title>Khiên</title>");
  EXPECT_EQ(HeaderValue(route, "Cache-Control"), "no-cache");
  EXPECT_EQ(Get("/assets").status, 200);  // a directory is never listed
  EXPECT_EQ(Get("/assets/missing-1234.js").status, 404);
  EXPECT_EQ(Get("/api/v1/unknown").status, 404);
}

TEST_F(StaticFilesTest, NeverEscapesTheRoot) {
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/..", "/a\\..\\b"}) {
    const StaticResponse response = Get(path);
    EXPECT_TRUE(response.status == 400 || response.status == 404) << path;
    EXPECT_EQ(response.body.find("outside"), std::string_view::npos) << path;
  }
  EXPECT_EQ(Get(std::string_view("/x\0y", 4)).status, 400);
  EXPECT_EQ(Get("/../secret.txt").status, 400);
  // A symlink pointing out of the root and a hidden file were never loaded.
  EXPECT_EQ(Get("/linked.txt").status, 404);
  EXPECT_EQ(Get("/.env").status, 404);
}

TEST_F(StaticFilesTest, HeadHasLengthButNoBody) {
  const StaticResponse head = files_.Serve("HEAD", "/assets/style-9f.css", "", "");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.content_length, 6u);
}

TEST(StaticFilesNotBuiltTest, ExplainsInVietnamese) {
  auto files = StaticFiles::Load("/nonexistent/khien/web/dist");
  ASSERT_TRUE(files.ok());
  EXPECT_TRUE(files->empty());
  const StaticResponse root = files->Serve("GET", "/", "", "");
  EXPECT_EQ(root.status, 200);
  EXPECT_NE(root.body.find("Ứng dụng web chưa được dựng"), std::string_view::npos);
  EXPECT_EQ(files->Serve("GET", "/app.js", "", "").status, 404);
}

}  // namespace
}  // namespace khien::http

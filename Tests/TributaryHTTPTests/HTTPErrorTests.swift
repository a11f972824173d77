import Testing

@testable import TributaryHTTP

@Suite struct HTTPErrorTests {
    @Test func descriptionNamesCurlCodeAndStatus() {
        #expect(
            HTTPError(curlCode: 22, status: 503, message: "unavailable").description
                == "HTTP error (curl 22, status 503): unavailable")
        #expect(HTTPError(curlCode: 28, status: nil, message: "timed out").description == "HTTP error (curl 28): timed out")
    }
}

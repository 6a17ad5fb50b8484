package web

// The vendored htmx: static/htmx.min.js is dist/htmx.min.js of the npm
// package htmx.org at HTMXVersion (BSD-0-Clause), unchanged. To update:
// npm pack htmx.org@VERSION in a temporary directory, copy
// package/dist/htmx.min.js here, and set both constants (TestVendoredHTMX
// checks them).
const (
	HTMXVersion = "2.0.11"
	HTMXSHA256  = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
)

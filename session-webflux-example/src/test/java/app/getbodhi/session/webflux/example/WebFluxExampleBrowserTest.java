package app.getbodhi.session.webflux.example;

import app.getbodhi.session.example.ExampleBrowserTestBase;

/**
 * The WebFlux example in headless Chromium, on the same context as {@link WebFluxExampleHttpTest}.
 */
@OnWebFluxExampleApplication
class WebFluxExampleBrowserTest extends ExampleBrowserTestBase {}

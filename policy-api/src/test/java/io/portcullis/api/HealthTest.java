package io.portcullis.api;

import io.portcullis.testsupport.HealthProbesContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest implements HealthProbesContract {}

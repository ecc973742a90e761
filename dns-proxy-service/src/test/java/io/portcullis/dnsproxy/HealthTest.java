package io.portcullis.dnsproxy;

import io.portcullis.testsupport.HealthProbesContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest implements HealthProbesContract {}

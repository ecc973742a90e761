package io.portcullis.fqdn;

import io.portcullis.testsupport.HealthProbesContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(MeshDouble.class)
class HealthTest implements HealthProbesContract {}

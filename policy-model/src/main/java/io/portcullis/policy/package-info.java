/** Portcullis policy model: plain Java, no framework. */
package io.portcullis.policy;

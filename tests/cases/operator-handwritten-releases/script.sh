# Hand-written v1beta2 manifests (Python, Scala, Java; scheduled; volumes, envFrom,
# GPUs, dynamic allocation, sidecars, pod templates, volcano) under each operator
# release: all pass under master; under v2.5.2 the ones using master's fields
# (driverPodDisruptionBudget, fileKeyRef, lifecycle.stopSignal, restartPolicyRules,
# podCertificate) are refused at the field. What compiles is checked against both
# releases' CRD schemas (*.manifest.yaml).
for v in 2.5.2 master; do
	echo "== operator $v"
	for f in manifests/*.yaml; do
		if $SPARKC compile --operator-version $v "$f" > "$v-$(basename "$f" .yaml).out" 2> err.txt; then
			echo "$f: compiles"
			if [ $v = 2.5.2 ]; then mv "$v-$(basename "$f" .yaml).out" "$v-$(basename "$f" .yaml).manifest.yaml"; fi
		else
			grep 'error:' err.txt
		fi
	done
done

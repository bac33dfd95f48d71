// Loads a TensorFlow.js layers model from a directory the way tf.loadLayersModel does over HTTP (model.json,
// then every shard its weights manifest lists, in order), with strict weight matching, and predicts.
// Usage: node predict.mjs <model dir> <inputs.json>
//   inputs.json: [{"shape": [batch, ...], "data": [floats]}, ...], one entry per model input.
// Prints {"outputs": [{"shape": [...], "data": [...]}, ...]} on stdout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

const [modelDir, inputsPath] = process.argv.slice(2);
if (!modelDir || !inputsPath) {
  console.error('usage: node predict.mjs <model dir> <inputs.json>');
  process.exit(2);
}

// An IOHandler over the file system: model.json parsed as tf.io.http would, shards read by the manifest's paths.
const fileHandler = {
  async load() {
    const modelJson = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
    return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      const specs = [];
      const buffers = [];
      for (const group of manifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const bytes = fs.readFileSync(path.join(modelDir, p));
          buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        }
      }
      return [specs, tf.io.concatenateArrayBuffers(buffers)];
    });
  },
};

await tf.setBackend('cpu');
const model = await tf.loadLayersModel(fileHandler, { strict: true });
const inputs = JSON.parse(fs.readFileSync(inputsPath, 'utf8')).map((i) => tf.tensor(i.data, i.shape, 'float32'));
let outputs = model.predict(inputs.length === 1 ? inputs[0] : inputs);
if (!Array.isArray(outputs)) outputs = [outputs];
const result = { outputs: outputs.map((t) => ({ shape: t.shape, data: Array.from(t.dataSync()) })) };
process.stdout.write(JSON.stringify(result));

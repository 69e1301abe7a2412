/** Input of train-model: which repository and branch to train from. */
import { repoOperationInput, repoOperationMeta } from '../../function-kit/repo-input.js';

export const input = repoOperationInput;

export const meta = repoOperationMeta(
  'train-model',
  'Runs the training script of the app\'s git repository (package.json scripts.train) in a Kubernetes Job; answers the model version it made and the image that serves it (its "image: <ref>" line)',
  ['Train this model', 'train the placemyparents model', 'retrain the model on main'],
);

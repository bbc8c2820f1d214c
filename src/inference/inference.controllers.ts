import { FeedbackController } from './feedback/feedback.controller';
import { MlflowController } from './protocols/mlflow.controller';
import { OpenInferenceController } from './protocols/open-inference.controller';
import { PredictController } from './protocols/predict.controller';

/** The inference module's HTTP face (three protocols and feedback), mounted by the HTTP role. */
export const INFERENCE_CONTROLLERS = [PredictController, MlflowController, OpenInferenceController, FeedbackController];
